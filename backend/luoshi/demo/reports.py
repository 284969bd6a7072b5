"""Demo reports, extension requests and disputes on top of the demo tasks (``demo.tasks``).

Everything goes through the real services with the clock turned back, so events, audit entries
and assignment states are what the app would have produced. (The completion reports behind the
submitted and completed demo tasks are written by the task demo as it plays the loop.)
"""

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from luoshi import clock
from luoshi.disputes import service as disputes
from luoshi.disputes.schemas import DisputeCreate, DisputeDecision
from luoshi.extensions import service as extensions
from luoshi.extensions.schemas import ExtensionCreate, ExtensionDecision
from luoshi.org.models import Unit
from luoshi.reports import service as reports
from luoshi.reports.schemas import ReportCreate, ReportReview
from luoshi.security import CurrentUser
from luoshi.settings import get_settings
from luoshi.tasks.models import Task, TaskStatus
from luoshi.users.models import User, UserRole


class _Demo:
    def __init__(self, session: Session) -> None:
        self.session, self.now = session, clock.utcnow()

    def task(self, title: str) -> Task | None:
        return self.session.execute(select(Task).where(Task.title == title)).scalars().first()

    def user(self, username: str) -> CurrentUser:
        user = self.session.execute(select(User).where(User.username == username)).scalar_one()
        return CurrentUser.of(user)

    def staff(self, unit_id: int) -> CurrentUser:
        """The unit's liaison, or a stand-in like the task demo's for a unit without an account."""
        user = self.session.execute(
            select(User).join(UserRole, UserRole.user_id == User.id)
            .where(User.unit_id == unit_id, UserRole.role == "unit_staff").order_by(User.id).limit(1)
        ).scalar_one_or_none()
        if user is None:
            code = self.session.execute(select(Unit.code).where(Unit.id == unit_id)).scalar_one()
            user = User(username=f"{code.lower().replace('-', '_')}_liaison", display_name="联络员",
                        unit_id=unit_id, title="联络员",
                        password_hash=self.session.execute(select(User.password_hash).limit(1)).scalar_one())
            user.role_rows = [UserRole(role="unit_staff")]
            self.session.add(user)
            self.session.flush()
        return CurrentUser.of(user)

    def unit_id(self, code: str) -> int:
        return self.session.execute(select(Unit.id).where(Unit.code == code)).scalar_one()

    def at(self, days_ago: float, step: Callable[..., Any], *args: Any) -> Any:
        """Run ``step(*args)`` with the clock set ``days_ago`` days before now."""
        when = self.now - timedelta(days=days_ago)
        clock.set_source(lambda: when)
        try:
            return step(*args)
        finally:
            clock.set_source(None)


def _reports(demo: _Demo) -> None:
    s = demo.session
    # A cooperating unit's part goes to the lead; the lead's report comes back from the office.
    dynamo = demo.task("新旧动能转换：传统产业升级与新兴产业培育调研")
    if dynamo is not None and dynamo.status == TaskStatus.in_progress:
        kjj, jxj, office = demo.staff(demo.unit_id("WH-KJJ")), demo.staff(dynamo.lead_unit_id or 0), \
            demo.user("supervisor")
        part = ReportCreate(progress_text="完成全市 46 家科技型企业技术改造需求调研，梳理可转化成果 18 项。",
                            percent_done=55, problems="部分企业数据填报不及时。", next_steps="下月完成成果对接会。",
                            highlights_good="促成 3 项成果落地转化。")
        part_id = demo_create(demo, 9, kjj, dynamo.id, part)
        demo.at(8.5, lambda: reports.submit(s, kjj, part_id))
        lead_id = demo_create(demo, 7, jxj, dynamo.id, ReportCreate(consolidate=True, percent_done=50))
        demo.at(6.9, lambda: reports.submit(s, jxj, lead_id))
        demo.at(5, lambda: reports.review(s, office, lead_id, ReportReview(
            decision="return", reason="请补充传统产业技改投资的量化指标和时间表")))
    # Accepted progress report (喜忧兼报).
    after_school = demo.task("政协提案：优化中小学课后服务")
    if after_school is not None and after_school.status == TaskStatus.in_progress:
        jyj = demo.user("jyj_liaison")
        rid = demo_create(demo, 6, jyj, after_school.id, ReportCreate(
            progress_text="全市 312 所中小学已开展课后服务，覆盖率 87%。", percent_done=20,
            problems="部分远城区学校师资不足。", next_steps="引入社会力量参与课后服务。",
            support_needed="需市财政局明确课后服务经费保障标准。",
            highlights_good="家长满意度调查达 93%。", highlights_bad="个别学校存在变相补课现象，已责令整改。"))
        demo.at(5.9, lambda: reports.submit(s, jyj, rid))
        demo.at(4, lambda: reports.review(s, demo.user("supervisor"), rid, ReportReview(decision="accept")))
    # Waiting for the office.
    research = demo.task("科技成果转化机制体制调研")
    if research is not None and research.status == TaskStatus.in_progress:
        kjj = demo.staff(research.lead_unit_id or 0)
        rid = demo_create(demo, 2, kjj, research.id, ReportCreate(
            progress_text="已走访高校院所 12 家，形成成果转化堵点清单初稿。", percent_done=40,
            next_steps="召开专家论证会。"))
        demo.at(1.9, lambda: reports.submit(s, kjj, rid))
    # Waiting for the unit head (单位把关).
    survey = demo.task("围绕高质量发展开展综合调研，形成“三张清单”")
    if survey is not None and survey.status == TaskStatus.in_progress:
        fgw = demo.user("fgw_liaison")
        settings = get_settings()
        before, settings.unit_head_approval_required = settings.unit_head_approval_required, True
        try:
            rid = demo_create(demo, 1, fgw, survey.id, ReportCreate(
                progress_text="高质量发展分析报告已定稿，问题清单梳理出 37 项短板。", percent_done=70,
                problems="部分区数据口径不一致。", next_steps="月底前形成问题解决清单和制度清单。"))
            demo.at(0.9, lambda: reports.submit(s, fgw, rid))
        finally:
            settings.unit_head_approval_required = before
    # A draft the lead unit has started, and a part the Shanwei lead unit has received.
    jiangan = demo.task("江岸区“大调研大落实”实施方案与三张清单")
    if jiangan is not None and jiangan.status == TaskStatus.in_progress:
        demo_create(demo, 0.2, demo.user("jiangan_liaison"), jiangan.id, ReportCreate(
            progress_text="各街道已完成第一轮居民区下访，正在汇总问题清单。", percent_done=35))
    industry = demo.task("产业发展指挥部")
    if industry is not None and industry.status == TaskStatus.in_progress:
        gxj = demo.staff(demo.unit_id("SW-GXJ"))
        rid = demo_create(demo, 3, gxj, industry.id, ReportCreate(
            progress_text="新签约工业项目 14 个，总投资 126 亿元。", percent_done=45,
            highlights_good="红海湾能源项目提前开工。", highlights_bad="2 个项目用地报批滞后。"))
        demo.at(2.9, lambda: reports.submit(s, gxj, rid))


def demo_create(demo: _Demo, days_ago: float, who: CurrentUser, task_id: int, data: ReportCreate) -> int:
    return demo.at(days_ago, reports.create_report, demo.session, who, task_id, data).id


def _extensions(demo: _Demo) -> None:
    s = demo.session
    for title, extra_days, decision, reason in (
        ("科技成果转化机制体制调研", 14, "approve", "需等待省科技厅政策出台后完善"),
        ("四数联动示范工程", 20, "reject", "数据平台招标已完成，时间节点不宜后延"),
        ("综合交通大会战", 6, None, "征地拆迁进度受台风影响"),
    ):
        task = demo.task(title)
        if task is None or task.deadline_date is None or task.status != TaskStatus.in_progress:
            continue
        lead = demo.staff(task.lead_unit_id or 0)
        new = task.deadline_date + timedelta(days=extra_days)
        request = demo.at(3, extensions.request_extension, s, lead, task.id,
                          ExtensionCreate(requested_deadline_date=new, reason=reason))
        if decision is not None:
            office = demo.user("supervisor" if task.title.startswith("科技") else "sw_supervisor")
            note = None if decision == "approve" else "请倒排工期，按原时限完成"
            demo.at(2, extensions.decide, s, office, request.id, ExtensionDecision(decision=decision, reason=note))


def _disputes(demo: _Demo) -> None:
    s = demo.session
    pending = demo.task("民生领域“最盼最急最忧最怨”问题调研")
    if pending is not None and pending.status == TaskStatus.assigned:
        who = demo.staff(pending.lead_unit_id or 0)
        demo.at(1, lambda: disputes.raise_dispute(s, who, pending.id, DisputeCreate(
            reason="涉及教育、住房、交通等多个领域，建议由市政务服务局牵头统筹",
            suggested_unit_id=demo.unit_id("WH-ZWJ"))))
    lift = demo.task("人大建议：加快老旧小区加装电梯")
    if lift is not None and lift.status == TaskStatus.assigned:
        zjj = demo.user("zjj_liaison")
        dispute = demo.at(1.5, disputes.raise_dispute, s, zjj, lift.id, DisputeCreate(
            reason="加装电梯资金由各区统筹，建议由江岸区政府牵头"))
        demo.at(1.2, disputes.decide, s, demo.user("supervisor"), dispute.id, DisputeDecision(
            decision="reject", reason="加装电梯政策制定属住建部门职责，请签收办理"))
    lane = demo.task("新马路社区：背街小巷环境整治问题梳理")
    if lane is not None and lane.status == TaskStatus.assigned:
        who = demo.staff(lane.lead_unit_id or 0)
        dispute = demo.at(2, disputes.raise_dispute, s, who, lane.id, DisputeCreate(reason="涉及路段位于三阳社区辖区"))
        demo.at(1.8, disputes.decide, s, demo.user("supervisor"), dispute.id, DisputeDecision(
            decision="reassign", new_lead_unit_id=demo.unit_id("WH-JA-DZ-SQ1"), reason="按属地改派三阳社区"))


def load_reports(session: Session) -> None:
    """Call after the demo tasks: reports in every state, extensions and disputes."""
    previous = clock._source
    demo = _Demo(session)
    try:
        _reports(demo)
        _extensions(demo)
        _disputes(demo)
    finally:
        clock.set_source(previous)
    session.flush()
