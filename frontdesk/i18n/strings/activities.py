"""Strings of group activities: sessions, enrolment, attendance and completion."""

ENTRIES: dict[str, tuple[str, str]] = {
    # names the screens show
    "activity.kind.job_fair": ("招聘会", "Job fair"),
    "activity.kind.course": ("技能培训", "Training course"),
    "activity.kind.class": ("公益课堂", "Class"),
    "activity.kind.event": ("惠民活动", "Event"),
    "activity.status.planned": ("未开始", "Planned"),
    "activity.status.running": ("进行中", "Running"),
    "activity.status.done": ("已结束", "Done"),
    "activity.status.cancelled": ("已取消", "Cancelled"),
    "activity.enrolment.enrolled": ("已报名", "Enrolled"),
    "activity.enrolment.waiting": ("候补", "Waiting"),
    "activity.enrolment.withdrawn": ("已退出", "Withdrawn"),
    # refusals, each at its field
    "activity.kind": ("请选择活动类型", "Choose the kind of session"),
    "activity.category": (
        "请选择与活动类型相符的服务项目",
        "Choose a category of the service line this kind belongs to",
    ),
    "activity.dates_order": ("结束日期不能早于开始日期", "The session cannot end before it starts"),
    "activity.meeting_times": ("结束时间须晚于开始时间", "A meeting must end after it starts"),
    "activity.meeting_outside": (
        "上课日期须在 {start} 至 {end} 之间",
        "A meeting must fall between {start} and {end}",
    ),
    "activity.capacity": (
        "名额须为 1 至 {limit} 的整数，不限名额请留空",
        "Capacity must be a whole number from 1 to {limit}; leave it blank for no limit",
    ),
    "activity.completion": (
        "结业学时须为大于 0 的小时数（最小单位 1 分钟）",
        "Completion hours must be above 0 (to the minute)",
    ),
    "activity.headcount": ("人数须为 0 或正整数", "The head count must be 0 or more"),
    "activity.headcount_large": ("人数不能超过 {limit}", "The head count cannot exceed {limit}"),
    "activity.transition": ("不能从“{now}”改为“{to}”", "Cannot go from {now} to {to}"),
    "activity.not_found": ("找不到该活动", "Session not found"),
    "activity.meeting_not_found": ("找不到该场次", "Meeting not found"),
    "activity.enrolment_not_found": ("找不到该报名", "Enrolment not found"),
    "activity.closed": (
        "活动已结束或已取消，不能再修改",
        "The session is finished or cancelled and cannot change",
    ),
    "activity.enrol_closed": (
        "活动已结束或已取消，不能报名",
        "Enrolment is closed: the session is finished or cancelled",
    ),
    "activity.no_enrolment": (
        "招聘会和惠民活动不需报名，请直接签到或记人数",
        "Job fairs and events take no enrolment: record attendance or a head count",
    ),
    "activity.enrolled_twice": ("此人已报名本活动", "This person is already enrolled"),
    "activity.who": (
        "请选择已登记的求职者，或填写居民姓名和手机号",
        "Pick a registered job seeker, or give a resident's name and phone",
    ),
    "activity.withdrawn": ("此报名已退出", "This enrolment was already withdrawn"),
    "activity.no_fee": ("此报名没有可退的费用", "This enrolment has no fee to refund"),
    "activity.no_fee_due": ("此报名无需缴费", "No fee is due for this enrolment"),
    "activity.fee_paid": ("此报名已缴费", "This enrolment has paid its fee"),
    "activity.not_course": (
        "只有技能培训有结业名单",
        "Only a training course has a completion list",
    ),
}
