"""Demo tasks: Wuhan's 大调研大落实 programme (seed 000, 武政办〔2018〕105号) and Shanwei's 2023 key
work under six command HQs (seed 004, 汕府办函〔2023〕38号), decomposed a few levels.

Everything goes through the real services with the clock turned back, so the events, audit
entries, roll-ups and deadline states are exactly what the app would have produced: a newcomer
finds tasks in every status, some overdue, some returned, some completed late.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi import clock
from luoshi.org.models import Unit
from luoshi.reports import repository as reports_repo
from luoshi.reports import service as reports
from luoshi.reports.models import ReportKind, ReportStatus
from luoshi.reports.schemas import ReportCreate
from luoshi.security import CurrentUser
from luoshi.tasks import lifecycle, service
from luoshi.tasks import repository as repo
from luoshi.tasks.models import Capacity, Task
from luoshi.tasks.schemas import MilestoneIn, TaskCreate, TransitionRequest, WaiveRequest
from luoshi.tasks.transitions import Action
from luoshi.users.models import User, UserRole

# (code, name, short name, kind, parent code): the Shanwei units named in seed 004.
SHANWEI_UNITS: list[tuple[str, str, str, str, str | None]] = [
    ("SW", "汕尾市人民政府", "汕尾市政府", "government", None),
    ("SW-DCS", "汕尾市人民政府督查室", "汕尾市政府督查室", "office", "SW"),
    ("SW-FGJ", "汕尾市发展和改革局", "汕尾市发改局", "department", "SW"),
    ("SW-GXJ", "汕尾市工业和信息化局", "汕尾市工信局", "department", "SW"),
    ("SW-ZRZYJ", "汕尾市自然资源局", "汕尾市自然资源局", "department", "SW"),
    ("SW-ZSJ", "汕尾市政务服务数据管理局", "汕尾市政数局", "department", "SW"),
    ("SW-ZJJ", "汕尾市住房和城乡建设局", "汕尾市住建局", "department", "SW"),
    ("SW-JTJ", "汕尾市交通运输局", "汕尾市交通运输局", "department", "SW"),
    ("SW-NYJ", "汕尾市农业农村局", "汕尾市农业农村局", "department", "SW"),
    ("SW-RSJ", "汕尾市人力资源和社会保障局", "汕尾市人社局", "department", "SW"),
    ("SW-LYJ", "汕尾市林业局", "汕尾市林业局", "department", "SW"),
    ("SW-SHJ", "汕尾市生态环境局", "汕尾市生态环境局", "department", "SW"),
]

# (username, display name, unit code, roles, title, is_chief); password as the other demo users.
SHANWEI_USERS: list[tuple[str, str, str, list[str], str, bool]] = [
    ("sw_supervisor", "杨督查", "SW-DCS", ["supervisor"], "督导专班办公室督查员", False),
    ("sw_leader", "黄副市长", "SW", ["leader"], "常务副市长", False),
    ("sw_fgj_liaison", "林联络", "SW-FGJ", ["unit_staff"], "专班联系人", False),
]


@dataclass
class Node:
    """One demo task and what has happened to it by today.

    ``story``: draft, assigned (issued, not signed), in_progress, pending_review, returned
    (sent back once, being reworked), resubmitted, completed, completed_late, suspended,
    cancelled or reopened. ``due`` is the deadline in days from today.
    """

    title: str
    lead: str
    due: int
    story: str = "in_progress"
    coop: list[str] = field(default_factory=list)
    progress: int = 0
    by: str | None = None  # who decomposes it; the office's supervisor by default
    children: list["Node"] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)


N = Node

WUHAN = N(
    "全市政府系统“大调研大落实”工作", "WH-BGT", 200,
    coop=["WH-FGW", "WH-JXJ", "WH-KJJ", "WH-ZWJ", "WH-ZJJ", "WH-WJW", "WH-JA", "WH-WC"],
    extra={"source_type": "superior_document", "source_ref": "武政办〔2018〕105号",
           "source_date": date(2018, 8, 24), "category": "大调研大落实", "feedback_cycle": "monthly",
           "priority": "high", "tags": ["大调研大落实", "三张清单"],
           "content": "聚焦经济发展、民生改善、环境保护、城市管理等重点领域开展调研，形成问题清单、"
                      "问题解决清单和制度清单（三张清单），每月向领导小组办公室报送工作动态。"},
    children=[
        N("围绕高质量发展开展综合调研，形成“三张清单”", "WH-FGW", 20, coop=["WH-KJJ"], children=[
            N("经济高质量发展条件、短板、突破口分析报告", "WH-FGW", -10, "completed"),
            N("科技成果转化机制体制调研", "WH-KJJ", 2, progress=40),
        ]),
        N("新旧动能转换：传统产业升级与新兴产业培育调研", "WH-JXJ", -5, coop=["WH-KJJ"], progress=50),
        N("优化营商环境：摸排企业反映的槽点、堵点、痛点问题", "WH-ZWJ", 30, "resubmitted",
          coop=["WH-FGW"], progress=90),
        N("补齐城市基础设施短板，提升精细化管理水平", "WH-ZJJ", 45, "returned", progress=70),
        N("江岸区“大调研大落实”实施方案与三张清单", "WH-JA", 60, progress=35, children=[
            N("大智街道：居民区下访，形成问题清单", "WH-JA-DZ", 15, by="jiangan_liaison", children=[
                N("三阳社区：老旧小区改造居民意见征集", "WH-JA-DZ-SQ1", -8, "completed_late",
                  by="dazhi_liaison"),
                N("新马路社区：背街小巷环境整治问题梳理", "WH-JA-DZ-SQ2", 12, "assigned",
                  by="dazhi_liaison"),
            ]),
            N("一元街道：千名干部联系千家企业走访", "WH-JA-YY", 40, "draft", by="jiangan_liaison"),
            N("车站街道：便民服务问题调研", "WH-JA-CZ", 50, "cancelled", by="jiangan_liaison"),
        ]),
        N("武昌区调研课题：长江大保护与岸线整治", "WH-WC", 90, "suspended"),
        N("民生领域“最盼最急最忧最怨”问题调研", "WH-WJW", 40, "assigned"),
    ],
)

WUHAN_SINGLES = [
    N("加快推进轨道交通建设的领导批示办理", "WH-JTJ", 1, "assigned",
      extra={"source_type": "leader_instruction", "priority": "urgent"}),
    N("政协提案：优化中小学课后服务", "WH-JYJ", 25, progress=20,
      extra={"source_type": "cppcc_proposal", "source_ref": "市政协十四届三次会议第0137号提案"}),
    N("人大建议：加快老旧小区加装电梯", "WH-ZJJ", -2, "assigned", coop=["WH-JA"],
      extra={"source_type": "npc_suggestion"}),
    N("群众诉求：积玉桥片区夜间施工噪音扰民", "WH-WC", 20, "draft",
      extra={"source_type": "public_request"}),
    N("政府工作报告：全年新增市场主体目标", "WH-FGW", 30, "reopened", coop=["WH-SJJ"], progress=100,
      extra={"source_type": "government_work_report", "source_ref": "2026年市政府工作报告"}),
]

_HQ = {"source_type": "meeting_decision", "source_ref": "汕府办函〔2023〕38号", "source_date": date(2023, 3, 19),
       "feedback_cycle": "monthly", "category": "党建引领“三六九”工程", "priority": "high"}

SHANWEI = [
    N("产业发展指挥部", "SW-FGJ", 38, coop=["SW-GXJ", "SW-ZRZYJ"], extra=_HQ, children=[
        N("项目双进行动", "SW-FGJ", 30, "completed"),
        N("产业发展大会战", "SW-GXJ", 35, progress=45),
        N("优势产业示范工程", "SW-GXJ", -6, progress=60),
        N("兴海强市示范工程", "SW-FGJ", 30, "pending_review", progress=100),
        N("深度融湾示范工程", "SW-ZRZYJ", 36, progress=10),
    ]),
    N("数字汕尾建设指挥部", "SW-GXJ", 38, coop=["SW-ZSJ"], extra=_HQ, children=[
        N("营商环境优化行动", "SW-ZSJ", 30, progress=55),
        N("四数联动示范工程", "SW-GXJ", 3, progress=80),
    ]),
    N("城乡统筹发展指挥部", "SW-ZJJ", 38, coop=["SW-JTJ", "SW-ZRZYJ"], extra=_HQ, children=[
        N("城市及城镇提能大会战", "SW-ZJJ", 30, "returned", progress=75),
        N("综合交通大会战", "SW-JTJ", 30, progress=40),
        N("要素保障大会战", "SW-ZRZYJ", -3, progress=65),
    ]),
    N("乡村振兴指挥部", "SW-NYJ", 38, "assigned", extra=_HQ),
    N("民生发展指挥部", "SW-RSJ", 38, coop=["SW-NYJ"], extra=_HQ, children=[
        N("民生补短大会战", "SW-RSJ", 30, "draft"),
        N("共富共享示范工程", "SW-NYJ", 30, "draft"),
    ]),
    N("绿美汕尾生态建设指挥部", "SW-LYJ", 38, coop=["SW-SHJ"], extra=_HQ, children=[
        N("绿美汕尾生态建设", "SW-LYJ", 30, progress=50),
        N("绿美汕尾生态示范工程", "SW-SHJ", 30, "suspended"),
    ]),
]

# When things happened, in days before today.
START = 80
SUBMITTED_LATE, APPROVED_LATE = 5, 4
RETURNED_SUBMIT, RETURNED_AT, RESUBMITTED = 12, 10, 1


def _completion_day(depth: int) -> int:
    """Deeper nodes finish first, so a parent is only submitted once its children are closed."""
    return 12 + 3 * depth


def _add_shanwei(session: Session) -> None:
    by_code = {u.code: u for u in session.execute(select(Unit)).scalars()}
    for order, (code, name, short, kind, parent_code) in enumerate(SHANWEI_UNITS, start=100):
        parent = by_code[parent_code] if parent_code else None
        unit = Unit(code=code, name=name, short_name=short, kind=kind, sort_order=order,
                    parent_id=parent.id if parent else None, depth=parent.depth + 1 if parent else 0,
                    path="")
        session.add(unit)
        session.flush()
        unit.path = f"{parent.path if parent else '/'}{unit.id}/"
        by_code[code] = unit
    # The same demo password: reuse a hash instead of paying for argon2 again.
    password_hash = session.execute(select(User.password_hash).limit(1)).scalar_one()
    for username, display, unit_code, roles, title, chief in SHANWEI_USERS:
        user = User(username=username, display_name=display, unit_id=by_code[unit_code].id,
                    password_hash=password_hash, title=title, is_chief=chief)
        user.role_rows = [UserRole(role=r) for r in roles]
        session.add(user)
    session.flush()


class _Script:
    """Steps scheduled at instants, run in time order with the clock set to each instant."""

    def __init__(self, session: Session, now: datetime) -> None:
        self.session, self.now = session, now
        self.steps: list[tuple[datetime, int, Callable[[], None]]] = []
        self.units = {code: uid for uid, code in session.execute(select(Unit.id, Unit.code)).all()}
        self.codes = {uid: code for code, uid in self.units.items()}
        self.users = {u.username: u for u in session.execute(select(User)).scalars()}
        self._callers: dict[str, CurrentUser] = {}
        self.tasks: dict[int, Task] = {}

    def caller(self, username: str) -> CurrentUser:
        if username not in self._callers:
            user = self.users[username]
            self._callers[username] = CurrentUser.of(user)
        return self._callers[username]

    def at(self, days_ago: float, step: Callable[[], None]) -> None:
        self.steps.append((self.now - timedelta(days=days_ago), len(self.steps), step))

    def run(self) -> None:
        for when, _, step in sorted(self.steps, key=lambda s: (s[0], s[1])):
            clock.set_source(lambda when=when: when)
            step()

    def act(self, username: str, ref: list[int], action: Action, reason: str | None = None) -> None:
        lifecycle.transition(self.session, self.caller(username), ref[0],
                             TransitionRequest(action=action, reason=reason), None)

    def liaison(self, unit_code: str) -> str:
        """A user of the unit, or a stand-in created for it (units act through their staff)."""
        for user in self.users.values():
            if user.unit.code == unit_code and "unit_staff" in user.roles:
                return user.username
        unit_id = self.units[unit_code]
        user = User(username=f"{unit_code.lower().replace('-', '_')}_liaison", display_name="联络员",
                    unit_id=unit_id, password_hash=next(iter(self.users.values())).password_hash,
                    title="联络员")
        user.role_rows = [UserRole(role="unit_staff")]
        self.session.add(user)
        self.session.flush()
        self.users[user.username] = user
        return user.username

    def plan(self, node: Node, office: str, leader: str | None, parent: list[int] | None = None,
             depth: int = 0, parent_lead: str | None = None) -> None:
        ref: list[int] = []
        creator = node.by or office
        fresh = node.story in ("assigned", "draft")
        created = 1.5 if node.story == "draft" else 2.5 if fresh else START - 2 * depth

        def create() -> None:
            data = TaskCreate(
                title=node.title, parent_id=parent[0] if parent else None,
                lead_unit_id=self.units[node.lead], cooperating_unit_ids=[self.units[c] for c in node.coop],
                leader_id=self.users[leader].id if leader and not parent else None,
                deadline=(self.now + timedelta(days=node.due)).date(),
                milestones=_milestones(node, self.now), **{"content": "", **node.extra},
            )
            ref.append(service.create_task(self.session, self.caller(creator), data).id)

        self.at(created, create)
        issuer = creator if node.by else office
        if node.story != "draft":
            self.at(created - 0.05, lambda: self.act(issuer, ref, Action.issue))
        if not fresh:
            lead_user = self.liaison(node.lead)
            self.at(created - 0.5, lambda: self.act(lead_user, ref, Action.sign))
            for c in node.coop:
                coop_user = self.liaison(c)
                self.at(created - 0.7, lambda u=coop_user: self.act(u, ref, Action.sign))
            self._story(node, ref, issuer, lead_user, depth)
        for child in node.children:
            self.plan(child, office, leader, ref, depth + 1, node.lead)

    def _story(self, node: Node, ref: list[int], issuer: str, lead_user: str, depth: int) -> None:
        s = self.session

        def progress() -> None:
            task = s.get(Task, ref[0])
            if task is not None and not node.children:
                lifecycle.set_task_progress(s, task, node.progress, self.caller(lead_user).actor)

        def coop_reported() -> None:
            """Each cooperating unit reports its part to the lead unit (the reports domain)."""
            task = repo.get_with_assignments(s, ref[0])
            assert task is not None
            for a in task.assignments:
                if a.capacity == Capacity.cooperating and a.state in ("assigned", "signed"):
                    coop = self.caller(self.liaison(self.codes[a.unit_id]))
                    part = reports.create_report(s, coop, task.id, ReportCreate(
                        kind=ReportKind.progress, percent_done=100,
                        progress_text=f"{a.unit.short_name}承担部分已完成，相关材料已报牵头单位。"))
                    reports.submit(s, coop, part.id)

        def completion_report() -> None:
            """The lead unit's completion report, pre-filled from the parts (resent after a return)."""
            lead = self.caller(lead_user)
            last = reports_repo.latest_completion(s, ref[0], lead.unit_id)
            if last is not None and last.status == ReportStatus.returned:
                reports.submit(s, lead, last.id)
                return
            report = reports.create_report(s, lead, ref[0], ReportCreate(
                kind=ReportKind.completion, consolidate=bool(node.coop), percent_done=100,
                progress_text=f"“{node.title}”各项任务已按要求完成，形成问题清单、解决清单和制度清单。",
                highlights_good="群众和企业反映的问题已逐项销号。"))
            reports.submit(s, lead, report.id)

        def submit(days: float) -> None:
            self.at(days + 0.5, coop_reported)
            self.at(days + 0.2, completion_report)
            self.at(days, lambda: self.act(lead_user, ref, Action.submit))

        if node.progress and not node.children:
            self.at(7, progress)
        match node.story:
            case "completed" | "reopened":
                day = 30 if node.story == "reopened" else _completion_day(depth)
                submit(day)
                self.at(day - 1, lambda: self.act(issuer, ref, Action.approve))
                if node.story == "reopened":
                    self.at(6, lambda: self.act(issuer, ref, Action.reopen, "回访发现统计口径不一致，需重新核实"))
            case "completed_late":
                submit(SUBMITTED_LATE)
                self.at(APPROVED_LATE, lambda: self.act(issuer, ref, Action.approve))
            case "pending_review":
                submit(2)
            case "returned" | "resubmitted":
                submit(RETURNED_SUBMIT)
                self.at(RETURNED_AT, lambda: self.act(issuer, ref, Action.return_,
                                                      "佐证材料不全，问题清单未明确整改时限"))
                if node.story == "resubmitted":
                    self.at(RESUBMITTED + 0.2, completion_report)
                    self.at(RESUBMITTED, lambda: self.act(lead_user, ref, Action.submit))
            case "suspended":
                self.at(15, lambda: self.act(issuer, ref, Action.suspend, "待领导小组明确课题范围"))
            case "cancelled":
                self.at(10, lambda: self.act(issuer, ref, Action.cancel, "与一元街道课题合并办理"))


def _milestones(node: Node, now: datetime) -> list[MilestoneIn]:
    if node.due < 30 or node.story == "draft":
        return []
    deadline = (now + timedelta(days=node.due)).date()
    start = (now - timedelta(days=START)).date()
    third = (deadline - start) / 3
    return [
        MilestoneIn(title="制定工作方案，明确路线图和时间表", planned_date=start + third,
                    done_date=start + third - timedelta(days=2)),
        MilestoneIn(title="集中推进，解决关键环节问题", planned_date=start + 2 * third),
        MilestoneIn(title="总结成效，形成长效机制", planned_date=deadline),
    ]


def load_tasks(session: Session) -> None:
    """Add the Shanwei units and users, then play the demo programmes forward to today."""
    _add_shanwei(session)
    previous = clock._source
    script = _Script(session, clock.utcnow())
    try:
        script.plan(WUHAN, "supervisor", "vicemayor")
        for single in WUHAN_SINGLES:
            script.plan(single, "supervisor", "vicemayor")
        for hq in SHANWEI:
            script.plan(hq, "sw_supervisor", "sw_leader")
        script.run()
        _waive_one(session, script)
    finally:
        clock.set_source(previous)
    session.flush()


def _waive_one(session: Session, script: _Script) -> None:
    """The office excuses one cooperating unit, so the waiver shows up in the demo."""
    task_id = session.execute(select(Task.id).where(Task.title == "产业发展指挥部")).scalar_one()
    task = repo.get_with_assignments(session, task_id)
    assert task is not None
    coop = next(a for a in task.assignments if a.unit_id == script.units["SW-ZRZYJ"])
    lifecycle.waive(session, script.caller("sw_supervisor"), task.id, coop.id,
                    WaiveRequest(reason="自然资源局相关工作已并入城乡统筹发展指挥部"), None)
