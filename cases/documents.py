"""Documents a duty lawyer hands over, generated as PDF in Chinese: the written
legal opinion (法律意见书), the legal-help letter (法律帮助公函) and the receipt
(送达回执). Uses reportlab's built-in Adobe CID font, so no font file ships."""

from __future__ import annotations

import io
from collections.abc import Iterable
from xml.sax.saxutils import escape

from django.utils import timezone
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

from cases.models import Case, HelpRecord, RecordKind
from lawyers.models import Lawyer

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
TITLE = ParagraphStyle("title", fontName=FONT, fontSize=18, leading=26, alignment=1)
BODY = ParagraphStyle("body", fontName=FONT, fontSize=12, leading=20, firstLineIndent=24)
PLAIN = ParagraphStyle("plain", fontName=FONT, fontSize=12, leading=20)
RIGHT = ParagraphStyle("right", fontName=FONT, fontSize=12, leading=20, alignment=2)


def _pdf(title: str, paragraphs: Iterable[tuple[str, ParagraphStyle]]) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=25 * mm,
        rightMargin=25 * mm,
        topMargin=25 * mm,
        bottomMargin=25 * mm,
        title=title,
        author="DutyLaw",
    )
    story = [Paragraph(escape(title), TITLE), Spacer(1, 10 * mm)]
    for text, style in paragraphs:
        for line in text.split("\n"):
            story.append(Paragraph(escape(line) or "&nbsp;", style))
    doc.build(story)
    return buffer.getvalue()


def _charges(case: Case) -> str:
    return "、".join(c.offence_tier.offence.name_zh for c in case.charges.all())


def _today() -> str:
    day = timezone.localdate()
    return f"{day.year}年{day.month}月{day.day}日"


def opinion_draft(*, case: Case, records: list[HelpRecord]) -> str:
    """A first draft of the written opinion from what the records show."""
    signed = [r for r in records if r.is_signed]
    reviews = [r for r in signed if r.kind == RecordKind.FILE_REVIEW]
    meetings = [r for r in signed if r.kind == RecordKind.MEETING]
    talks = [r for r in signed if r.kind == RecordKind.NEGOTIATION]
    parts = [
        "一、案件基本情况",
        f"本案系{case.procuratorate.name}办理的{_charges(case)}一案，"
        f"现处于{case.get_stage_display()}阶段，适用{case.get_procedure_display()}。",
        "二、法律帮助情况",
    ]
    if reviews:
        volumes = sum(r.volumes_read or 0 for r in reviews)
        pages = sum(r.pages_read or 0 for r in reviews)
        parts.append(f"值班律师共查阅案卷 {len(reviews)} 次，计 {volumes} 册、{pages} 页。")
    if meetings:
        minutes = sum(m.duration_minutes for m in meetings)
        parts.append(f"会见犯罪嫌疑人（被告人）{len(meetings)} 次，共 {minutes} 分钟。")
    for talk in talks:
        parts.append(
            f"量刑协商：检察机关建议{talk.prosecutor_proposal}；律师意见为{talk.lawyer_opinion}。"
        )
    parts += ["三、法律意见", "（请在此写明对案件定性、量刑建议及程序适用的意见。）"]
    return "\n".join(parts)


def opinion_pdf(*, record: HelpRecord) -> bytes:
    case = record.case
    lawyer = record.lawyer
    return _pdf(
        "法律意见书",
        [
            (f"{case.procuratorate.name}：", PLAIN),
            (record.summary, BODY),
            ("", PLAIN),
            (f"值班律师：{lawyer.user.display_name}（执业证号：{lawyer.licence_no}）", RIGHT),
            (f"{lawyer.firm}", RIGHT),
            (_today(), RIGHT),
        ],
    )


def help_letter_pdf(*, case: Case, lawyer: Lawyer, accused_name: str) -> bytes:
    office = case.office
    return _pdf(
        "法律帮助公函",
        [
            (f"{case.procuratorate.name}：", PLAIN),
            (
                f"根据《中华人民共和国刑事诉讼法》第三十六条、《中华人民共和国法律援助法》"
                f"第三十条及《法律援助值班律师工作办法》的规定，本中心指派值班律师"
                f"{lawyer.user.display_name}（执业证号：{lawyer.licence_no}，执业机构：{lawyer.firm}）"
                f"为犯罪嫌疑人（被告人）{accused_name}涉嫌{_charges(case)}一案"
                f"（案号：{case.external_ref}）提供法律帮助，请予以安排会见、阅卷等事宜。",
                BODY,
            ),
            (f"联系电话：{lawyer.phone}", BODY),
            ("", PLAIN),
            (office.name, RIGHT),
            (_today(), RIGHT),
        ],
    )


def receipt_pdf(*, case: Case, lawyer: Lawyer, accused_name: str) -> bytes:
    return _pdf(
        "送达回执",
        [
            (f"案号：{case.external_ref}", PLAIN),
            (f"受送达人：{case.procuratorate.name}", PLAIN),
            (f"送达文书：法律帮助公函（值班律师：{lawyer.user.display_name}）", PLAIN),
            (f"犯罪嫌疑人（被告人）：{accused_name}", PLAIN),
            (f"送达单位：{case.office.name}", PLAIN),
            ("", PLAIN),
            ("受送达人签收：＿＿＿＿＿＿＿＿　　签收日期：＿＿＿＿年＿＿月＿＿日", PLAIN),
            ("送达人：＿＿＿＿＿＿＿＿", PLAIN),
        ],
    )
