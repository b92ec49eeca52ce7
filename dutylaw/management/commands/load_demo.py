"""Load a realistic demo: one office, its sites and workstations, about 30
lawyers of every kind, about 200 cases across stages, and one login per role.

Runs once: a second run sees the demo office and does nothing. Deterministic
(seeded), so screenshots and walkthroughs look the same on every machine.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from cases.intake import case_notify
from cases.models import (
    AssignmentRole,
    Case,
    CaseStatus,
    CustodyMeasure,
    OffenceTier,
    Procedure,
    Stage,
    Tier,
)
from cases.records import record_create
from cases.services import case_assign, case_grant_student
from lawyers.models import (
    Court,
    DetentionCentre,
    Lawyer,
    LawyerKind,
    Leave,
    LegalAidOffice,
    Procuratorate,
    Role,
    Roster,
    RosterStatus,
    Shift,
    ShiftSlot,
    User,
    Workstation,
    WorkstationKind,
)
from lawyers.rosters import roster_generate, roster_publish, shift_window
from triage.assignment import case_escalate

DEMO_OFFICE = "BJ-CY-FLYZ"
DEMO_PASSWORD = "dutylaw-demo"  # noqa: S105 - printed to the operator on purpose
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂英华建国志红玉兰文斌宇浩凯健俊帆鹏辉婷雪琳晨阳欣怡子轩梓涵一诺宁博思远嘉"
REF_MARK = {"BJ-CY-JCY": "朝", "BJ-HD-JCY": "海", "BJ-DC-JCY": "东"}
# The charges the demo draws from, weighted as offices see them.
COMMON = [
    ("CL133-1", 30),
    ("CL264", 25),
    ("CL266", 15),
    ("CL234", 10),
    ("CL287-2", 12),
    ("CL293", 8),
    ("CL303.2", 6),
    ("CL347", 6),
    ("CL312", 5),
    ("CL277", 5),
    ("CL292", 3),
    ("CL263", 3),
    ("CL133", 6),
    ("CL196", 3),
    ("CL176", 2),
    ("CL253-1", 3),
    ("CL232", 1),
    ("CL236", 1),
    ("CL294", 1),
]


class Command(BaseCommand):
    help = "Load the demo data set (once)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, **options):
        if LegalAidOffice.objects.filter(code=DEMO_OFFICE).exists():
            self.stdout.write("Demo data already loaded.")
            return
        tiers = self._tiers()
        self.rng = random.Random(options["seed"])
        self.used_names: set[str] = set()
        with transaction.atomic():
            self._load(tiers)
        self.stdout.write(self.style.SUCCESS("Demo data loaded."))

    # --- helpers --------------------------------------------------------------

    def _tiers(self) -> dict[str, list[OffenceTier]]:
        codes = [code for code, _weight in COMMON]
        tiers: dict[str, list[OffenceTier]] = {}
        for tier in OffenceTier.objects.filter(offence__code__in=codes).select_related("offence"):
            tiers.setdefault(tier.offence.code, []).append(tier)
        missing = sorted(set(codes) - set(tiers))
        if missing:
            raise CommandError(f"The charge catalogue lacks {', '.join(missing)}; run migrate.")
        for rows in tiers.values():
            rows.sort(key=lambda t: t.tier)
        return tiers

    def _name(self) -> str:
        while True:
            name = self.rng.choice(SURNAMES) + "".join(
                self.rng.choice(GIVEN) for _ in range(self.rng.choice((1, 2, 2)))
            )
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    def _id_number(self, born: date, gender: str) -> str:
        seq = self.rng.randrange(0, 500) * 2 + (1 if gender == "M" else 0)
        body = f"110105{born:%Y%m%d}{seq:03d}"
        return body + ric.calc_check_digit(body + "0")  # the last digit is a placeholder

    def _user(self, username: str, full_name: str, role: str, **extra) -> User:
        # Hashing is slow on purpose; one hash serves every demo login.
        if not hasattr(self, "password_hash"):
            self.password_hash = make_password(DEMO_PASSWORD)
        user = User(username=username, full_name=full_name, role=role, **extra)
        user.password = self.password_hash
        user.save()
        return user

    def _lawyer(self, username: str, kind: str, office, n: int, **extra) -> Lawyer:
        user = self._user(username, extra.pop("full_name", None) or self._name(), Role.LAWYER)
        licence = (
            None if kind == LawyerKind.STUDENT else f"1110120{n:04d}{self.rng.randrange(10**5):05d}"
        )
        firms = {
            LawyerKind.SOCIAL: [
                "北京市京朝律师事务所",
                "北京市明德律师事务所",
                "北京市正衡律师事务所",
            ],
            LawyerKind.PUBLIC_POST: ["朝阳区公职律师办公室"],
            LawyerKind.MENTOR: ["中国政法大学", "对外经济贸易大学法学院"],
            LawyerKind.STUDENT: ["中国政法大学法律诊所"],
        }
        return Lawyer.objects.create(
            user=user,
            office=office,
            kind=kind,
            licence_no=licence,
            firm=self.rng.choice(firms[kind]),
            phone=f"139{self.rng.randrange(10**8):08d}",
            languages=extra.pop("languages", ["zh"]),
            **extra,
        )

    # --- the data set ---------------------------------------------------------

    def _load(self, tiers) -> None:
        office = LegalAidOffice.objects.create(
            code=DEMO_OFFICE,
            name="北京市朝阳区法律援助中心",
            region="北京市朝阳区",
            phone="010-65090000",
        )
        procuratorates = [
            Procuratorate.objects.create(code=code, name=name, region=region, office=office)
            for code, name, region in [
                ("BJ-CY-JCY", "北京市朝阳区人民检察院", "北京市朝阳区"),
                ("BJ-HD-JCY", "北京市海淀区人民检察院", "北京市海淀区"),
                ("BJ-DC-JCY", "北京市东城区人民检察院", "北京市东城区"),
            ]
        ]
        centres = [
            DetentionCentre.objects.create(
                code="BJ-CY-KSS", name="北京市朝阳区看守所", region="北京市朝阳区"
            ),
            DetentionCentre.objects.create(
                code="BJ-DY-KSS", name="北京市第一看守所", region="北京市"
            ),
        ]
        court = Court.objects.create(
            code="BJ-CY-FY", name="北京市朝阳区人民法院", region="北京市朝阳区"
        )
        workstations = [
            Workstation.objects.create(
                office=office,
                code="WS-CY-KSS",
                name="朝阳区看守所值班律师工作站",
                kind=WorkstationKind.DETENTION_CENTRE,
                detention_centre=centres[0],
            ),
            Workstation.objects.create(
                office=office,
                code="WS-DY-KSS",
                name="第一看守所值班律师工作站",
                kind=WorkstationKind.DETENTION_CENTRE,
                detention_centre=centres[1],
            ),
            Workstation.objects.create(
                office=office,
                code="WS-CY-JCY",
                name="朝阳区检察院值班律师工作站",
                kind=WorkstationKind.PROCURATORATE,
                procuratorate=procuratorates[0],
            ),
            Workstation.objects.create(
                office=office,
                code="WS-CY-FY",
                name="朝阳区法院值班律师工作站",
                kind=WorkstationKind.COURT,
                court=court,
            ),
        ]

        # Logins, one per role.
        self._user("admin", "系统管理员", Role.ADMIN, is_staff=True, is_superuser=True)
        staff = self._user("staff", "王静", Role.STAFF, office=office, is_staff=False)
        self._user("reviewer", "周律协", Role.REVIEWER)
        duty = self._lawyer("lawyer", LawyerKind.SOCIAL, office, 1, full_name="李明")
        counsel = self._lawyer(
            "counsel", LawyerKind.PUBLIC_POST, office, 2, full_name="陈刚", takes_complex_cases=True
        )
        mentor = self._lawyer(
            "mentor", LawyerKind.MENTOR, office, 3, full_name="赵教授", takes_complex_cases=True
        )
        student = self._lawyer(
            "student", LawyerKind.STUDENT, office, 4, full_name="孙晓", mentor=mentor
        )

        # About 30 lawyers in all.
        lawyers = [duty, counsel, mentor]
        for n in range(5, 18):
            lawyers.append(
                self._lawyer(
                    f"social{n}",
                    LawyerKind.SOCIAL,
                    office,
                    n,
                    takes_complex_cases=n % 3 == 0,
                    languages=["zh", "ug"] if n == 7 else ["zh"],
                    sign_language=n == 9,
                )
            )
        for n in range(18, 23):
            lawyers.append(
                self._lawyer(
                    f"public{n}", LawyerKind.PUBLIC_POST, office, n, takes_complex_cases=True
                )
            )
        for n in range(23, 25):
            lawyers.append(
                self._lawyer(f"mentor{n}", LawyerKind.MENTOR, office, n, takes_complex_cases=True)
            )
        mentors = [mentor, *lawyers[-2:]]
        for n in range(25, 31):
            self._lawyer(f"student{n}", LawyerKind.STUDENT, office, n, mentor=mentors[n % 3])

        self.staff = staff
        self._shifts(workstations, lawyers, duty, mentor)
        self._cases(tiers, procuratorates, centres, lawyers, staff, duty, counsel, mentor, student)

    def _shifts(self, workstations, lawyers, duty, mentor) -> None:
        """This month's roster, solved and published (the demo lawyer is pinned
        on today's morning shift at the detention centre), and next month's as a
        draft for staff to try the solver on."""
        rng = self.rng
        for lawyer in lawyers:
            lawyer.preferred_workstations.set(rng.sample(workstations, 2))
        Leave.objects.create(
            lawyer=lawyers[5],
            date_from=timezone.localdate() + timedelta(days=3),
            date_to=timezone.localdate() + timedelta(days=6),
            reason="年假",
        )
        today = timezone.localdate()
        month = today.replace(day=1)
        current = Roster.objects.create(office=workstations[0].office, month=month)
        Shift.objects.create(
            roster=current,
            workstation=workstations[0],
            lawyer=duty,
            date=today,
            slot=ShiftSlot.MORNING,
            pinned=True,
        )
        Roster.objects.filter(pk=current.pk).update(status=RosterStatus.GENERATING)
        roster_generate(roster_id=current.pk, time_limit=5)
        current.refresh_from_db()
        roster_publish(roster=current, acting_user=self.staff, expected_version=current.version)
        # Past shifts were worked: signed in and out (a few forgot to sign in).
        for shift in current.shifts.filter(date__lt=today, lawyer__isnull=False):
            if rng.random() < 0.92:
                start, end = shift_window(shift)
                Shift.objects.filter(pk=shift.pk).update(
                    signed_in_at=start - timedelta(minutes=rng.randrange(0, 20)),
                    signed_out_at=end + timedelta(minutes=rng.randrange(0, 30)),
                )
        upcoming = (month + timedelta(days=32)).replace(day=1)
        Roster.objects.create(office=workstations[0].office, month=upcoming)

    def _work(self, case, lawyer, after, now) -> None:
        """Log what a lawyer did on an assigned case: some thorough, some not."""
        rng = self.rng
        span = (now - after).total_seconds()
        if span < 5 * 3600:
            return
        moments = sorted(
            after + timedelta(seconds=rng.uniform(0, span - 4 * 3600)) for _ in range(5)
        )

        def log(kind, at, minutes, **values):
            record_create(
                case=case,
                user=lawyer.user,
                kind=kind,
                values={"started_at": at, "ended_at": at + timedelta(minutes=minutes), **values},
            )

        thorough = rng.random() < 0.6
        if thorough:
            log(
                "file_review",
                moments[0],
                rng.randrange(40, 180),
                volumes_read=max(1, case.file_volumes),
                pages_read=rng.randrange(40, 400),
                excerpts_taken=False,
                summary="查阅起诉意见书、讯问笔录及鉴定意见。",
            )
        if rng.random() < 0.8:
            log(
                "meeting",
                moments[1],
                rng.choice([15, 20, 35, 45, 60, 90]),
                requested_at=moments[1] - timedelta(hours=20),
                approval="approved",
                approval_by="看守所管教民警",
                place="看守所会见室",
                summary="告知诉讼权利，核实案件事实，听取意见。",
            )
        if not case.plea:
            return
        if thorough or rng.random() < 0.3:
            log(
                "negotiation",
                moments[2],
                30,
                prosecutor_proposal="拘役四个月，并处罚金",
                lawyer_opinion="认罪态度好，建议从轻处罚",
                agreed_recommendation="拘役三个月，并处罚金",
                took_part=True,
            )
        if rng.random() < 0.7:
            log(
                "plea_signing",
                moments[3],
                20,
                lawyer_present=True,
                rights_explained=True,
                consequences_explained=True,
                procedure_explained=True,
                accused_understood=True,
                no_pressure_seen=True,
                recording_ref=f"LY-{case.external_ref[-6:-1]}",
            )
            if thorough:
                log(
                    "written_opinion",
                    moments[4],
                    60,
                    summary="一、案件基本情况\n二、法律帮助情况\n三、法律意见：建议从轻处罚。",
                )

    def _cases(
        self, tiers, procuratorates, centres, lawyers, staff, duty, counsel, mentor, student
    ) -> None:
        rng = self.rng
        now = timezone.now()
        codes = [code for code, _w in COMMON]
        weights = [w for _c, w in COMMON]
        complex_lawyers = [lw for lw in lawyers if lw.takes_complex_cases]
        year = timezone.localdate().year
        for n in range(1, 201):
            proc = procuratorates[n % 3]
            code = rng.choices(codes, weights)[0]
            offence_tiers = tiers[code]
            tier = offence_tiers[0] if rng.random() < 0.75 else rng.choice(offence_tiers)
            charges = [tier]
            if rng.random() < 0.08:
                other = tiers[rng.choice([c for c in codes if c != code])][0]
                charges.append(other)
            gender = "M" if rng.random() < 0.85 else "F"
            minor = rng.random() < 0.04
            age_years = rng.randrange(14, 18) if minor else rng.randrange(18, 70)
            born = date(year - age_years, rng.randrange(1, 13), rng.randrange(1, 29))
            disabilities = ["hearing"] if rng.random() < 0.02 else []
            open_ended = any(t.max_months is None for t in charges)
            sentence = None if open_ended else max(t.max_months for t in charges)
            procedure = (
                Procedure.FAST_TRACK
                if sentence is not None and sentence <= 36 and rng.random() < 0.6
                else rng.choice([Procedure.SUMMARY, Procedure.ORDINARY])
            )
            serious = open_ended or sentence > 36 or len(charges) > 1
            status_roll = rng.random()
            waiting = status_roll < 0.35
            # Cases still without a lawyer arrived in the last few days; older
            # ones were handled (as an office that keeps up would have it).
            if waiting:
                created = now - timedelta(hours=rng.randrange(1, 96))
            else:
                created = now - timedelta(days=rng.randrange(0, 60), hours=rng.randrange(0, 24))
            lead_days = rng.choice([1, 2, 3, 5, 7, 10, 12, 15])
            needed = created + timedelta(days=lead_days)
            needed = timezone.make_aware(
                datetime.combine(timezone.localtime(needed).date(), time(15))
            )
            # Notification times spread over the last two months; each case is
            # notified as at that moment, so triage and deadlines are the real ones.
            case, _created = case_notify(
                procuratorate=proc,
                at=created,
                source=f"{proc.name}案件管理系统",
                data={
                    "external_ref": f"京{REF_MARK[proc.code]}检刑诉〔{year}〕{1000 + n}号",
                    "procedure": procedure,
                    "stage": rng.choices(
                        [Stage.INVESTIGATION, Stage.PROSECUTION_REVIEW, Stage.TRIAL], [2, 6, 2]
                    )[0],
                    "plea": rng.random() < 0.85,
                    "accused": {
                        "name": self._name(),
                        "id_number": self._id_number(born, gender),
                        "gender": gender,
                        "birth_date": born,
                        "ethnicity": "汉族"
                        if rng.random() < 0.9
                        else rng.choice(["回族", "满族", "维吾尔族"]),
                        "language": "zh",
                        "disabilities": disabilities,
                    },
                    "charges": charges,
                    "possible_sentence_max_months": sentence,
                    "file_volumes": rng.randrange(2, 40) if serious else rng.randrange(1, 4),
                    "custody": {
                        "measure": rng.choice(
                            [CustodyMeasure.DETAINED, CustodyMeasure.ARRESTED, CustodyMeasure.BAIL]
                        ),
                        "facility": rng.choice(centres),
                    },
                    "needed_by": needed,
                },
            )
            if waiting:
                continue  # triaged, no lawyer yet
            appointed = case.tier == Tier.APPOINTED_COUNSEL
            role = AssignmentRole.APPOINTED_COUNSEL if appointed else AssignmentRole.DUTY_LAWYER
            if n % 7 == 0:
                lawyer = mentor if appointed else duty
            elif appointed:
                lawyer = counsel if n % 3 == 0 else rng.choice(complex_lawyers)
            else:
                lawyer = duty if n % 4 == 0 else rng.choice(lawyers)
            case_assign(
                case=case,
                lawyer=lawyer,
                role=role,
                acting_user=staff,
                reason="值班排班分配",
                at=created + timedelta(hours=2),
            )
            if lawyer == mentor and n % 2 == 0:
                case_grant_student(case=case, student=student, acting_user=mentor.user)
            self._work(case, lawyer, created + timedelta(hours=3), now)
            if lawyer == duty and case.tier == Tier.DUTY_LAWYER and n % 9 == 0 and case.is_open:
                case.refresh_from_db()
                if case.status != CaseStatus.CLOSED:
                    case_escalate(
                        case=case,
                        user=duty.user,
                        reason="contradictory_evidence",
                        text="证人证言与现场监控录像相互矛盾，需全面辩护。",
                    )
            if status_roll > 0.92:
                Case.objects.filter(pk=case.pk).update(status=CaseStatus.CLOSED)
