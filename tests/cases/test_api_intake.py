"""POST /api/v1/cases/ against the contract: creation and triage, idempotency,
conflicts, one error per problem with dotted paths, nothing stored on error."""

from __future__ import annotations

import copy
import json
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from stdnum.cn import ric

from cases.models import Case, TimelineEntry
from lawyers.models import Court, DetentionCentre
from tests.factories import valid_id_number

pytestmark = pytest.mark.django_db


def with_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def days_ahead(days: int, hour: int = 17) -> str:
    """A local moment ``days`` after today at ``hour``, written as the contract writes it."""
    local = timezone.localtime() + timedelta(days=days)
    return local.replace(hour=hour, minute=0, second=0, microsecond=0).isoformat()


# The contract's example notice. Its needed_by (2026-12-10T17:00:00+08:00 in the
# contract) is kept 8 days ahead of the clock, so the notice stays a timely one
# whenever the suite runs.
BODY = {
    "external_ref": "京朝检刑诉〔2026〕1234号",
    "procedure": "fast_track",
    "stage": "prosecution_review",
    "plea": True,
    "accused": {
        "name": "张三",
        "id_number": "11010519491231002X",
        "gender": "M",
        "birth_date": "1949-12-31",
        "ethnicity": "汉族",
        "language": "zh",
        "disabilities": [],
    },
    "charges": [{"code": "CL133-1", "tier": 1}],
    "possible_sentence_max_months": 6,
    "file_volumes": 1,
    "co_accused_refs": [],
    "flags": [],
    "custody": {"measure": "detained", "facility_code": "BJ-CY-KSS"},
    "needed_by": days_ahead(8),
}


@pytest.fixture
def token(api_client_pair):
    DetentionCentre.objects.create(code="BJ-CY-KSS", name="朝阳区看守所")
    return api_client_pair[1]


@pytest.fixture
def post(api, token):
    def call(body, lang=None, path="/api/v1/cases/"):
        headers = {"Accept-Language": lang} if lang else {}
        data = body if isinstance(body, str) else json.dumps(body)
        return api("post", path, token, data=data, content_type="application/json", headers=headers)

    return call


def body(**changes):
    data = copy.deepcopy(BODY)
    for path, value in changes.items():
        target = data
        *parents, leaf = path.split("__")
        for key in parents:
            target = target[int(key)] if key.isdigit() else target[key]
        target[int(leaf) if leaf.isdigit() else leaf] = value
    return data


def test_contract_example_creates_a_triaged_duty_lawyer_case(post):
    response = post(BODY)
    assert response.status_code == 201, response.json()
    out = response.json()
    assert out["external_ref"] == BODY["external_ref"]
    assert out["status"] == "triaged" and out["tier"] == "duty_lawyer"
    assert out["mandatory_defence"] is False and out["assignment"] is None
    assert out["triage_reasons"][0]["rule"] == "sentence_within_3_years"
    assert "6" in out["triage_reasons"][0]["detail"]
    case = Case.objects.get()
    assert case.accused.name == "张三" and case.detention_centre.code == "BJ-CY-KSS"
    assert set(TimelineEntry.objects.values_list("kind", flat=True)) == {"notified", "triaged"}


def test_repeat_with_same_body_is_200_and_one_case(post):
    first = post(BODY).json()
    reordered = json.dumps(dict(reversed(list(BODY.items()))))
    again = post(reordered)
    assert again.status_code == 200 and again.json()["id"] == first["id"]
    assert Case.objects.count() == 1


def test_same_ref_different_body_is_409_with_existing_id(post):
    first = post(BODY).json()
    response = post(body(file_volumes=3))
    assert response.status_code == 409
    assert response.json()["id"] == first["id"]
    assert response.json()["errors"][0]["field"] == "external_ref"
    assert Case.objects.count() == 1


def test_same_ref_other_procuratorate_is_a_different_case(post, api, other_api_client_pair):
    post(BODY)
    _client, other = other_api_client_pair
    response = api(
        "post", "/api/v1/cases/", other, data=json.dumps(BODY), content_type="application/json"
    )
    assert response.status_code == 201
    assert Case.objects.count() == 2


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"accused__id_number": "110105194912310021"}, "accused.id_number", "invalid_checksum"),
        ({"accused__id_number": "12345"}, "accused.id_number", "invalid_length"),
        (
            {"accused__id_number": with_check("99010519491231002")},
            "accused.id_number",
            "invalid_region",
        ),
        (
            {"accused__id_number": with_check("11010519491331002")},
            "accused.id_number",
            "invalid_birth_date",
        ),
        ({"accused__birth_date": "1950-01-01"}, "accused.birth_date", "birth_date_mismatch"),
        (
            {"accused__id_number": "", "accused__birth_date": "2999-01-01"},
            "accused.birth_date",
            "future_date",
        ),
        ({"charges": [{"code": "CL999", "tier": 1}]}, "charges.0.code", "unknown_code"),
        ({"charges": [{"code": "CL264", "tier": 9}]}, "charges.0.tier", "tier_out_of_range"),
        ({"charges": []}, "charges", "min_length"),
        ({"charges": [{"code": "CL264", "tier": "one"}]}, "charges.0.tier", "invalid"),
        ({"procedure": "express"}, "procedure", "invalid_choice"),
        ({"plea": "yes"}, "plea", "invalid"),
        ({"file_volumes": -1}, "file_volumes", "min_value"),
        ({"possible_sentence_max_months": "6"}, "possible_sentence_max_months", "invalid"),
        ({"flags": ["vip"]}, "flags.0", "invalid_choice"),
        ({"accused__disabilities": ["tall"]}, "accused.disabilities.0", "invalid_choice"),
        ({"custody__facility_code": "NOPE"}, "custody.facility_code", "unknown_facility"),
        ({"needed_by": "tomorrow"}, "needed_by", "invalid"),
        ({"external_ref": "  "}, "external_ref", "blank"),
        ({"accused__gender": "X"}, "accused.gender", "invalid_choice"),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(post, changes, field, code):
    response = post(body(**changes))
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert {"field": field, "code": code} in [
        {"field": e["field"], "code": e["code"]} for e in errors
    ]
    assert all(e["message"] for e in errors)
    assert Case.objects.count() == 0 and TimelineEntry.objects.count() == 0


def test_every_problem_is_reported_at_once(post):
    response = post(
        body(
            procedure="x",
            stage="y",
            charges__0__code="CL999",
            accused__id_number="110105194912310021",
        )
    )
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"procedure", "stage", "charges.0.code", "accused.id_number"} <= fields


def test_missing_required_fields(post):
    response = post({})
    fields = {e["field"] for e in response.json()["errors"]}
    assert {"external_ref", "procedure", "stage", "accused", "charges"} <= fields


def test_messages_follow_accept_language(post):
    bad = body(accused__id_number="110105194912310021")
    zh = post(bad).json()["errors"][0]["message"]
    en = post(bad, lang="en").json()["errors"][0]["message"]
    assert en == "The check digit of the resident ID number is wrong."
    assert zh == "居民身份证号码的校验码不正确。"


@pytest.mark.parametrize(
    "raw",
    [
        "{",
        "[]",
        "null",
        "42",
        '"text"',
        '{"accused": []}',
        '{"charges": {"code": 1}}',
        '{"accused": {"name": {"x": 1}}}',
        '{"external_ref": "\\ud800"}',
        '{"charges": [{"code": "\\ud800", "tier": 1}]}',
        '{"custody": {"measure": "detained", "facility_code": "\\udfff"}}',
        '{"not_a_field": "\\ud800", "charges": [{"code": "CL264", "tier": 1}]}',
        '{"charges": [{"code": "CL264\\u0000", "tier": 1}]}',
        '{"external_ref": "' + "x" * 5000 + '"}',
    ],
)
def test_malformed_json_and_wrong_types_are_400_never_500(post, raw):
    response = post(raw)
    assert response.status_code == 400
    assert response.json()["errors"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("raw", ["null", "[]", "42"])
def test_a_body_that_is_not_an_object_is_refused_in_the_readers_language(post, raw):
    zh = post(raw).json()["errors"]
    en = post(raw, lang="en").json()["errors"]
    assert [e["code"] for e in zh] == ["invalid"] and "字典" in zh[0]["message"]
    assert "Expected a dictionary" in en[0]["message"]


def test_wrong_content_type_is_415_in_contract_shape(api, token):
    response = api(
        "post",
        "/api/v1/cases/",
        token,
        data="a=b",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 415 and response.json()["errors"]


def test_id_number_fills_missing_birth_date(post):
    data = body(accused__birth_date=None)
    data["external_ref"] = "ref-2"
    assert post(data).status_code == 201
    assert str(Case.objects.get().accused.birth_date) == "1949-12-31"


def test_minor_is_mandatory_defence(post):
    born = (timezone.localdate() - timedelta(days=16 * 365)).replace(day=1)
    data = body(accused__id_number=valid_id_number(born), accused__birth_date=str(born))
    out = post(data).json()
    assert out["tier"] == "appointed_counsel" and out["mandatory_defence"] is True
    assert "mandatory_minor" in [r["rule"] for r in out["triage_reasons"]]


def test_a_notice_just_after_midnight_belongs_to_the_local_day(post, time_machine):
    from triage.models import Deadline

    shanghai = ZoneInfo("Asia/Shanghai")
    # Friday 12 March 2027 at 00:30 in Shanghai: in UTC it is still Thursday.
    time_machine.move_to(datetime(2027, 3, 12, 0, 30, tzinfo=shanghai), tick=False)
    born = date(2011, 1, 1)  # 16: mandatory defence
    out = post(
        body(
            accused__id_number=valid_id_number(born),
            accused__birth_date=str(born),
            needed_by="2027-03-14T17:00:00+08:00",  # Sunday: 2 days after Friday, 3 after Thursday
        )
    ).json()
    assert out["notice_sufficient"] is False  # fast track needs 3 days' notice
    due = Deadline.objects.get(kind="mandatory_appointment").due_at.astimezone(shanghai)
    # 3 working days after Friday: Monday 15, Tuesday 16, Wednesday 17. chinese-calendar
    # 1.11.0 has no 2027 data (Monday to Friday is counted), and 2027's official
    # calendar has no holiday or adjusted working day in these weeks either.
    assert due.isoformat() == "2027-03-17T23:59:59+08:00"


def test_unauthenticated_post_is_401_and_stores_nothing(api):
    response = api(
        "post", "/api/v1/cases/", None, data=json.dumps(BODY), content_type="application/json"
    )
    assert response.status_code == 401 and Case.objects.count() == 0


# --- events ---------------------------------------------------------------------


@pytest.fixture
def notified(post):
    return post(BODY).json()


def test_stage_change_event(post, notified):
    response = post(
        {"type": "stage_changed", "stage": "trial"}, path=f"/api/v1/cases/{notified['id']}/events/"
    )
    assert response.status_code == 201 and response.json()["stage"] == "trial"
    assert TimelineEntry.objects.filter(kind="stage_changed").count() == 1


def test_hearing_and_plea_signing_events(post, notified):
    Court.objects.create(code="BJ-CY-FY", name="朝阳区人民法院")
    url = f"/api/v1/cases/{notified['id']}/events/"
    hearing = post(
        {"type": "hearing_scheduled", "at": days_ahead(18, hour=9), "court_code": "BJ-CY-FY"},
        path=url,
    )
    assert hearing.status_code == 201
    case = Case.objects.get()
    assert case.hearing_court.code == "BJ-CY-FY"
    assert (
        post({"type": "plea_signing_scheduled", "at": days_ahead(6, hour=10)}, path=url).status_code
        == 201
    )
    bad = post(
        {"type": "hearing_scheduled", "at": days_ahead(18, hour=9), "court_code": "NOPE"},
        path=url,
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "court_code"


def test_event_validation_and_closed_case(post, notified):
    url = f"/api/v1/cases/{notified['id']}/events/"
    missing = post({"type": "stage_changed"}, path=url)
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "stage"
    assert post({"type": "teleported"}, path=url).status_code == 400
    assert post({"type": "closed", "outcome": "不起诉"}, path=url).status_code == 201
    after = post({"type": "stage_changed", "stage": "trial"}, path=url)
    assert after.status_code == 400 and after.json()["errors"][0]["code"] == "case_closed"


def test_events_on_other_procuratorates_case_are_404(post, api, other_api_client_pair, notified):
    _client, other = other_api_client_pair
    response = api(
        "post",
        f"/api/v1/cases/{notified['id']}/events/",
        other,
        data=json.dumps({"type": "closed"}),
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Case.objects.get().status == "triaged"


# --- charges ------------------------------------------------------------------


def test_charge_catalogue(api, token, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        rows = api("get", "/api/v1/charges/", token).json()
    assert len(rows) >= 150
    one = api("get", "/api/v1/charges/?code=CL133-1", token).json()
    assert len(one) == 1 and one[0]["name"] == "危险驾驶罪"
    assert one[0]["tiers"] == [
        {
            "tier": 1,
            "min_months": 0,
            "max_months": 6,
            "life": False,
            "death": False,
            "description": one[0]["tiers"][0]["description"],
            "description_en": one[0]["tiers"][0]["description_en"],
        }
    ]
    homicide = api("get", "/api/v1/charges/?code=CL232", token).json()[0]
    top = homicide["tiers"][-1]
    assert top["max_months"] is None and top["life"] and top["death"]


def test_with_auto_assignment_on_the_notice_queues_it_with_the_case(
    post, api_client_pair, django_capture_on_commit_callbacks
):
    from triage.models import OutboxMessage
    from triage.services import policy_current

    client, _token = api_client_pair
    policy = policy_current(office_id=client.procuratorate.office_id)
    policy.auto_assign = True
    policy.save()
    with django_capture_on_commit_callbacks() as relays:
        response = post(BODY)
    assert response.status_code == 201
    message = OutboxMessage.objects.get()
    assert (message.task, message.args) == ("triage.tasks.auto_assign", [response.json()["id"]])
    assert len(relays) == 1  # published after commit (Redis is not needed: the row waits)


def test_a_notice_takes_the_same_queries_whatever_it_names(post, django_assert_max_num_queries):
    """The token and the catalogue come from the cache; the rows are written a
    statement per table, however many charges the notice names."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    both = [{"code": "CL264", "tier": 1}, {"code": "CL133-1", "tier": 1}]
    post(body(external_ref="warm-up", charges=both))  # token, charges, last-used time: once
    counts = []
    for ref, charges in (
        ("one", [{"code": "CL133-1", "tier": 1}]),
        ("many", both),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert post(body(external_ref=ref, charges=charges)).status_code == 201
        counts.append(len(queries))
        assert not [q for q in queries if "cases_offence" in q["sql"]]  # from the cache
        assert not [q for q in queries if "cases_apiclient" in q["sql"]]
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(16):
        assert post(body(external_ref="bounded")).status_code == 201


def test_codes_are_matched_as_validation_cleans_them(post):
    padded = body(charges=[{"code": " CL133-1 ", "tier": 1}], custody__facility_code=" BJ-CY-KSS ")
    response = post(padded)
    assert response.status_code == 201, response.json()
    assert Case.objects.get().detention_centre.code == "BJ-CY-KSS"


def test_limit_messages_follow_each_requests_language(post):
    too_long = body(external_ref="x" * 101)
    for _round in range(2):  # the first language to ask must not fix the text
        en = post(too_long, lang="en").json()["errors"][0]["message"]
        zh = post(too_long).json()["errors"][0]["message"]
        assert "100" in en and "characters" in en
        assert "100" in zh and "characters" not in zh


def test_a_notice_is_stored_at_one_moment(post):
    from triage.models import Deadline

    post(BODY)
    case = Case.objects.get()
    assert {d.starts_at for d in Deadline.objects.filter(case=case)} == {case.created_at}
    assert set(TimelineEntry.objects.filter(case=case).values_list("at", flat=True)) == {
        case.created_at
    }
    assert case.updated_at == case.created_at


def test_an_offence_version_in_force_without_tiers_refuses_the_charge(post):
    from cases.models import Offence

    current = Offence.objects.filter(code="CL264").order_by("-effective_from").first()
    Offence.objects.create(
        code="CL264",
        article=current.article,
        name_zh=current.name_zh,
        name_en=current.name_en,
        effective_from=timezone.localdate(),
    )
    response = post(body(charges=[{"code": "CL264", "tier": 1}]))
    assert response.status_code == 400
    assert response.json()["errors"][0] == {
        "field": "charges.0.tier",
        "code": "tier_out_of_range",
        "message": "该罪名尚未录入量刑档次。",
    }


def test_an_unread_key_with_a_lone_surrogate_does_not_break_the_fingerprint(post):
    raw = json.dumps(BODY)[:-1] + ', "vendor_note": "\\ud800"}'
    assert post(raw).status_code == 201
    assert post(raw).status_code == 200  # the same body again: the same case


def test_deadline_bases_show_in_the_pages_language_not_the_clients(post, client, staff):
    from tests.factories import PASSWORD

    post(BODY, lang="en")
    case = Case.objects.get()
    client.login(username=staff.username, password=PASSWORD)
    page = client.get(f"/cases/{case.pk}/", headers={"Accept-Language": "zh-hans"})
    html = page.content.decode()
    assert "检察院要求的律师到位期限" in html
    assert "Lawyer needed by the procuratorate" not in html


def test_an_error_quoting_a_lone_surrogate_is_still_valid_json(post):
    response = post('{"procedure": "\\ud800"}')
    assert response.status_code == 400
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert errors["procedure"]["code"] == "invalid_choice" and "?" in errors["procedure"]["message"]


@pytest.mark.parametrize("path", ["/api/v1/cases/", "events"])
def test_json_nested_too_deeply_is_a_400(post, notified, path):
    url = f"/api/v1/cases/{notified['id']}/events/" if path == "events" else path
    deep = {**BODY, "junk": json.loads("[" * 40 + "]" * 40)}  # parses, but too deep to keep
    for raw in ("[" * 1000 + "]" * 1000, json.dumps(deep)):
        response = post(raw, path=url)
        assert response.status_code == 400
        assert response.json()["errors"][0]["code"] == "parse_error"
    assert Case.objects.count() == 1  # the one notified before


def test_only_json_in_utf8_is_accepted(api, token):
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = api("post", "/api/v1/cases/", token, data="{}", content_type=content_type)
        assert response.status_code == 415
    latin = api(
        "post",
        "/api/v1/cases/",
        token,
        data=json.dumps(BODY),  # ASCII, so that any charset could carry it
        content_type="application/json; charset=latin-1",
    )
    assert latin.status_code == 415 and "UTF-8" in latin.json()["errors"][0]["message"]
    assert Case.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"external_ref": "京朝检\n刑诉1号"}, "external_ref"),
        ({"external_ref": "京朝检\r刑诉1号"}, "external_ref"),
        ({"accused__name": "张\u202e三"}, "accused.name"),  # right-to-left override
        ({"accused__name": "张\u2066三"}, "accused.name"),  # isolate
        ({"accused__ethnicity": "汉\t族"}, "accused.ethnicity"),
        ({"charges": [{"code": "CL\u2028264", "tier": 1}]}, "charges.0.code"),
        ({"co_accused_refs": ["A-1\u0007"]}, "co_accused_refs.0"),
    ],
)
def test_one_line_fields_refuse_control_and_direction_characters(post, changes, field):
    response = post(body(**changes))
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [(field, "single_line")]
    assert "单行" in errors[0]["message"]
    assert Case.objects.count() == 0
