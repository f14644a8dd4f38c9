"""Strings of job fairs: the employers taking part, their postings, referrals made there."""

ENTRIES: dict[str, tuple[str, str]] = {
    # refusals
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
