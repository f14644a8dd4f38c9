"""Strings of job fairs (the employers taking part, their postings, referrals made there),
and the walk-in log's pointer to group activities."""

ENTRIES: dict[str, tuple[str, str]] = {
    # keys
    "key.fair_add": ("参展", "Add"),
    "key.fair_remove": ("移除", "Remove"),
    "key.fair_refer": ("推荐", "Refer"),
    # the session record of a fair
    "fair.col_employer": ("参展单位", "Employer"),
    "fair.col_posting": ("岗位", "Posting"),
    "fair.col_positions": ("人数", "Places"),
    "fair.col_referrals": ("推荐", "Referred"),
    "fair.col_intentions": ("达成意向", "Intentions"),
    "fair.totals": (
        "参展单位 {employers} · 岗位 {postings} · 招聘 {positions} 人 · 推荐 {referrals}"
        " · 达成意向 {intentions}",
        "Employers {employers} · postings {postings} · places {positions} · referred"
        " {referrals} · intentions {intentions}",
    ),
    "fair.no_postings": ("（未带岗位）", "(no postings)"),
    "fair.pick_posting": (
        "请先选中一个岗位（单位行下方的岗位行）",
        "Highlight a posting first (the lines under an employer)",
    ),
    "fair.removed": ("已移除", "Removed"),
    # dialogs
    "fair.add_title": ("参展单位与岗位：{title}", "Employers and postings: {title}"),
    "fair.find_employer": ("单位", "Employer"),
    "fair.positions_n": ("招 {n} 人", "{n} places"),
    "fair.employer_added": ("单位已参展", "The employer takes part"),
    "fair.posting_added": ("岗位已加入招聘会", "The posting is at the fair"),
    "fair.refer_title": ("推荐到岗位：{title}", "Refer to: {title}"),
    "fair.find_attendee": ("签到者", "Attendee"),
    "fair.referred": ("已推荐", "Referred"),
    # head office's report: referrals and intentions of the period made at job fairs
    "hq.col_fair_referrals": ("招聘会推荐", "Referred at fairs"),
    "hq.col_fair_intentions": ("招聘会达成意向", "Intentions at fairs"),
    # refusals
    "walkin.group_service": (
        "招聘会、公益课堂和惠民活动请在集体活动（F12）中登记签到和人数",
        "Job fairs, classes and events are recorded under group activities (F12):"
        " attendance and head counts are taken there",
    ),
    "fair.not_a_fair": ("这不是招聘会", "This session is not a job fair"),
    "fair.employer_twice": ("该单位已参加本场招聘会", "This employer already takes part"),
    "fair.employer_not_in": ("该单位未参加本场招聘会", "This employer does not take part"),
    "fair.posting_twice": ("该岗位已在本场招聘会", "This posting is already at the fair"),
    "fair.posting_not_in": ("该岗位不在本场招聘会", "This posting is not at the fair"),
    "fair.not_attendee": (
        "此人未在本场招聘会签到：请先签到（A）",
        "This person has not been ticked present at the fair: take attendance first (A)",
    ),
}
