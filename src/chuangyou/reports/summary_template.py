"""The default 总结 template's text: 基本情况 → 主要做法 → 成效 → 经验 → 问题与下一步, then the 落款.

It is a docxtpl (Jinja) template the school downloads, edits in Word and uploads back, so every
sentence, and every threshold that decides whether a sentence is said, is here in the template and
nowhere in code. The first line sets the thresholds (`bar`): a verdict ("参与面广") is printed only
when its figure reaches its bar; otherwise the same topic appears under 存在的问题 with its figure
and a next step. A paragraph whose tag is `{%p … %}` is a Jinja statement and disappears.
"""

from __future__ import annotations

# (kind, text): kind is the paragraph's style ("title", "h1", "h2", "body", "sign", "table") or
# "tag" for a {%p … %} statement alone in its paragraph.
BAR = (
    "{%p set bar = dict(participation=60, staff=50, on_time=80, fulfilment=80, turnout=80, tasks_done=80, "
    "hours=20) %}"
)

PLAN: list[tuple[str, str]] = [
    ("tag", BAR),
    ("tag", "{%p set n = namespace(good=0, bad=0, lesson=0) %}"),
    ("title", "{{ school }}{{ school_year }}创先争优活动总结"),
    ("h1", "一、基本情况"),
    (
        "body",
        "按照《{{ campaign_title }}》的部署，我校{% if theme %}以“{{ theme }}”为主题，{% endif %}"
        "在全体师生中开展了创先争优活动。全校现有学生{{ students_total }}名、教职工{{ staff_total }}名。"
        "{% if phase_count %}活动自{{ start }}起至{{ end }}止，分{{ phase_count }}个阶段推进。{% endif %}",
    ),
    ("tag", "{%p if principles %}"),
    ("body", "活动的指导思想是：{{ principles }}"),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if goals %}"),
    ("body", "活动的目标是：{{ goals }}"),
    ("tag", "{%p endif %}"),
    ("tag", "{%p for p in phases %}"),
    (
        "body",
        "{{ nth[loop.index] }}是{{ p.name }}阶段（{{ p.start }}至{{ p.end }}）"
        "{% if p.work %}：{{ p.work }}{% endif %}。",
    ),
    ("tag", "{%p endfor %}"),
    (
        "body",
        "截至{{ as_of }}，{% if all_phases_done %}各阶段工作均已完成。"
        "{% elif current_phase %}活动正处于“{{ current_phase }}”阶段"
        "{% if phases_done %}，前{{ phases_done }}个阶段已经完成{% endif %}。"
        "{% else %}活动尚未进入实施阶段。{% endif %}",
    ),
    ("h1", "二、主要做法"),
    ("h2", "（一）分工到人，压实责任。"),
    (
        "body",
        "{% if tasks_total %}活动方案把工作分解为{{ tasks_total }}项分工任务，每项任务明确一名负责人和完成时限，"
        "由工作小组跟踪进度、监督小组检查落实，目前已完成{{ tasks_done }}项。"
        "任务的进度在平台上公开，逾期未完成的任务自动提醒负责人，做到事事有人管、件件有着落。"
        "{% else %}活动方案尚未把工作分解为分工任务，这是下一步要补上的一课。{% endif %}",
    ),
    ("h2", "（二）搭建载体，全员参与。"),
    (
        "body",
        "{% if activities_published %}围绕活动主题，学校共发布活动{{ activities_published }}项"
        "{% if activities_held %}，已举办{{ activities_held }}项{% endif %}"
        "{% if activity_kinds %}，其中{{ activity_kinds }}{% endif %}。活动由专人负责，"
        "每项活动都有方案、有安全预案、有记录。活动面向全体学生，报名自愿，"
        "名额、候补和签到都在平台上公开进行，不搞强制摊派。"
        "{% if held %}已举办的主要活动有：{{ held }}。{% endif %}"
        "{% else %}本阶段学校尚未发布活动。{% endif %}"
        "{% if practice_sets %}坚持每周一练，共布置练习{{ practice_sets }}套，按班级布置、按时提交、自动统计，"
        "不排名、不通报个人，减轻学生负担，把注意力放在查漏补缺上。{% endif %}"
        "{% if volunteer_claims %}组织学生走进社区开展志愿服务，服务时长以0.5小时为单位记录，"
        "由组织者认证，未成年人参加须经监护人同意。{% endif %}",
    ),
    ("h2", "（三）公开承诺，接受监督。"),
    (
        "body",
        "{% if commitments %}党支部和党员教师围绕学习、工作、自律、服务四个方面作出公开承诺{{ commitments }}份、"
        "承诺事项{{ commitment_items }}条，逐条明确措施、时限和责任人，在校内公开，按季度报告践诺进展，"
        "接受师生和家长监督"
        "{% if commitments_filed %}，并向教育局申报备案{{ commitments_filed }}份{% endif %}。"
        "{% else %}公开承诺工作尚未开展。{% endif %}",
    ),
    ("h2", "（四）民主评议，评选先进。"),
    (
        "body",
        "{% if evaluations_held %}学校组织民主评议{{ evaluations_held }}次，采用无记名方式，"
        "教师、学生、家长分组参评，家长凭投票码即可参加，无需安装任何软件"
        "{% if evaluations_published %}，已公布结果{{ evaluations_published }}次{% endif %}。"
        "{% else %}民主评议尚未组织。{% endif %}"
        "{% if nominations %}按照自下而上、层层推荐的办法推荐先进{{ nominations }}人次，"
        "推荐结果在校内公示5个工作日，公示期间设立异议受理渠道，经公示无异议后予以表彰。{% endif %}",
    ),
    ("tag", "{%p if photos or honors_total or budget_planned_num %}"),
    ("h2", "（五）展示成果，保障到位。"),
    (
        "body",
        "{% if photos %}学校开设成果展示专栏，活动照片经工作小组审核后展出，共展出{{ photos }}张，"
        "家长扫码即可浏览。{% endif %}"
        "{% if honors_total %}公示期满的先进事迹在光荣榜长期展示，并记入师生的荣誉档案。{% endif %}"
        "{% if budget_planned_num %}活动经费预算{{ budget_planned }}"
        "{% if project_count %}，其中创新项目资助{{ budget_granted }}{% endif %}，专款专用，账目公开。{% endif %}",
    ),
    ("tag", "{%p endif %}"),
    ("h1", "三、取得的成效"),
]

RESULTS: list[tuple[str, str]] = [
    ("tag", "{%p if students_taking_part and students_pct >= bar.participation %}"),
    (
        "body",
        "{% set n.good = n.good + 1 %}{{ nth[n.good] }}是参与面广。"
        "学生参加活动{{ students_taking_part }}人，占学生总数的{{ students_share }}"
        "{% if staff_taking_part and staff_pct >= bar.staff %}；教职工参加{{ staff_taking_part }}人，"
        "占{{ staff_share }}{% endif %}；累计参与{{ person_times }}人次"
        "{% if awards %}，获奖{{ awards }}人次{% endif %}。"
        "{% if class_top %}各班中参与率最高的是{{ class_top.names }}（{{ class_top.share }}），"
        "最低的是{{ class_low.names }}（{{ class_low.share }}）。{% endif %}"
        "学生在活动中锻炼了能力、增长了见识，形成了人人参与、班班有活动的良好局面。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if practice_expected and on_time_pct >= bar.on_time %}"),
    (
        "body",
        "{% set n.good = n.good + 1 %}{{ nth[n.good] }}是常规扎实。"
        "每周一练应交{{ practice_expected }}份，实交{{ practice_submitted }}份，"
        "完成率{{ practice_completion }}，按时完成率{{ practice_on_time_rate }}"
        "{% if on_time_top %}，其中{{ on_time_top.names }}最高（{{ on_time_top.share }}），"
        "{{ on_time_low.names }}最低（{{ on_time_low.share }}）{% endif %}。"
        "学生养成了按时完成、及时订正的习惯，学科教师也能据此及时调整教学。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if volunteer_hours_num >= bar.hours %}"),
    (
        "body",
        "{% set n.good = n.good + 1 %}{{ nth[n.good] }}是服务有力。"
        "志愿服务经组织者认证{{ volunteer_claims }}人次、共{{ volunteer_hours }}小时"
        "{% if volunteer_students %}，参与学生{{ volunteer_students }}人{% endif %}"
        "{% if volunteer_staff %}、教职工{{ volunteer_staff }}人{% endif %}，"
        "每一小时都由组织者认证，做到谁记录谁证明。学生在服务中增强了社会责任感，"
        "学校与社区的联系也更加紧密。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if commitment_items and fulfilment_pct >= bar.fulfilment %}"),
    (
        "body",
        "{% set n.good = n.good + 1 %}{{ nth[n.good] }}是承诺兑现。"
        "{{ commitment_items }}条承诺事项已兑现{{ commitments_fulfilled }}条，兑现率{{ fulfilment_rate }}"
        "{% if commitments_not_fulfilled %}；未兑现的{{ commitments_not_fulfilled }}条均已写明原因{% endif %}。"
        "党员教师带头践诺，在教育教学和服务学生中发挥了先锋模范作用。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if evaluations_published and lowest_turnout_pct >= bar.turnout %}"),
    (
        "body",
        "{% set n.good = n.good + 1 %}{{ nth[n.good] }}是评议规范。{{ evaluation_turnouts }}，"
        "均超过半数，结果有效"
        "{% if branches_rated %}；党支部参加星级评定{{ branches_rated }}个，其中{{ stars }}"
        "{% if five_star %}，{{ five_star }}被评为五星级党支部{% endif %}{% endif %}。"
        "评议全程无记名，参评面广，结果客观公正，得到了师生和家长的认可。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if honors_total or prizes or project_count %}"),
    (
        "body",
        "{% set n.good = n.good + 1 %}{{ nth[n.good] }}是先进涌现。"
        "{% if prizes %}在各项活动和竞赛中，学生获得{{ prizes }}。{% endif %}"
        "{% if honors_total %}经公示无异议，学校表彰{{ honors_by_type }}，共{{ honors_total }}人次"
        "{% if prize_due_num %}，应发奖金{{ prize_due }}，{% if prize_paid_num >= prize_due_num %}已全部发放"
        "{% elif prize_paid_num %}已发{{ prize_paid }}{% else %}尚未发放{% endif %}{% endif %}。{% endif %}"
        "{% if project_count %}创新项目评审资助{{ project_count }}项：{{ projects }}。{% endif %}"
        "{% if photos %}成果展示共展出活动照片{{ photos }}张。{% endif %}"
        "一批可亲、可敬、可学的先进典型脱颖而出，在全校形成了学先进、赶先进、争先进的浓厚氛围。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if n.good == 0 %}"),
    ("body", "活动开展以来，各项工作尚未取得可以用数据说明的成效，具体差距见第五部分。"),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if prev %}"),
    (
        "body",
        "与{{ prev.label }}相比，"
        "{% if trend.students %}学生参与率由{{ prev.students_share }}"
        "{{ '提高到' if trend.students == 'up' else '下降到' if trend.students == 'down' else '保持在' }}{{ students_share }}；{% endif %}"
        "{% if trend.on_time %}每周一练按时完成率由{{ prev.on_time_rate }}"
        "{{ '提高到' if trend.on_time == 'up' else '下降到' if trend.on_time == 'down' else '保持在' }}{{ practice_on_time_rate }}；"
        "{% endif %}"
        "志愿服务时长{% if prev.hours_num %}由{{ prev.hours }}小时"
        "{{ '增加到' if trend.hours == 'up' else '减少到' if trend.hours == 'down' else '保持在' }}"
        "{% else %}从无到有，达到{% endif %}{{ volunteer_hours }}小时；"
        "表彰{% if prev.honors_total %}由{{ prev.honors_total }}人次"
        "{{ '增加到' if trend.honors == 'up' else '减少到' if trend.honors == 'down' else '保持在' }}"
        "{% else %}从无到有，达到{% endif %}{{ honors_total }}人次。",
    ),
    ("tag", "{%p endif %}"),
    ("table", ""),
]

LESSONS: list[tuple[str, str]] = [
    ("h1", "四、主要经验"),
    ("tag", "{%p if tasks_total and tasks_done_pct >= bar.tasks_done %}"),
    (
        "body",
        "{% set n.lesson = n.lesson + 1 %}{{ nth[n.lesson] }}是领导带头、分工负责。"
        "{{ tasks_total }}项分工任务完成{{ tasks_done }}项，每项任务有人抓、有人管、有时限，是活动落地的关键。"
        "领导小组定方向、工作小组抓落实、监督小组管公正，三个小组各司其职、相互配合。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if students_taking_part and students_pct >= bar.participation %}"),
    (
        "body",
        "{% set n.lesson = n.lesson + 1 %}{{ nth[n.lesson] }}是以活动为载体。"
        "把创先争优融入课堂、竞赛和社会实践，{{ students_share }}的学生参加了活动，参与靠兴趣而不靠摊派。"
        "活动贴近学生实际，既有学科竞赛，也有主题教育和志愿服务，让每个学生都能找到展示自己的舞台。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if commitments and evaluations_published %}"),
    (
        "body",
        "{% set n.lesson = n.lesson + 1 %}{{ nth[n.lesson] }}是公开透明、接受监督。"
        "承诺公开、评议无记名{% if honors_total %}、先进经公示后表彰{% endif %}，"
        "师生和家长看得见、能监督，评选结果经得起检验。家长凭一张投票码就能参加评议，"
        "不需要安装任何软件，参与评议的门槛降低了，评议的代表性也提高了。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if n.lesson == 0 %}"),
    ("body", "活动开展时间尚短，成效还不明显，经验有待在今后的工作中总结提炼。"),
    ("tag", "{%p endif %}"),
]

PROBLEMS: list[tuple[str, str]] = [
    ("h1", "五、存在的问题和下一步打算"),
    ("tag", "{%p if not activities_published %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是活动尚未开展。学校还没有发布任何活动。"
        "下一步，按照方案的阶段安排，尽快发布第一批活动，确保每个班级都有可参加的项目。",
    ),
    ("tag", "{%p elif students_pct < bar.participation %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是学生参与面不广。"
        "{% if students_taking_part %}参加活动的学生只有{{ students_taking_part }}人，"
        "占{{ students_share }}，低于{{ bar.participation }}%的目标"
        "{% else %}学生参与活动尚为空白{% endif %}"
        "{% if class_low %}，{{ class_low.names }}参与率最低（{{ class_low.share }}）{% endif %}。"
        "下一步，针对参与率低的班级增设活动，力争学生参与率达到{{ bar.participation }}%。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if staff_total and staff_pct < bar.staff %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是教职工参与不足。"
        "{% if staff_taking_part %}教职工参加活动{{ staff_taking_part }}人，只占{{ staff_share }}"
        "{% else %}教职工参与活动尚为空白，{{ staff_total }}名教职工无一人参加{% endif %}。"
        "下一步，由党支部带头，组织党员教师在活动中担任指导老师。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if not tasks_total %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是分工尚未落实到人。方案还没有分解出分工任务。"
        "下一步，由领导小组把每项工作明确到负责人和完成时限。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if volunteer_hours_num < bar.hours %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是志愿服务开展不多。"
        "{% if volunteer_claims %}经认证的志愿服务只有{{ volunteer_hours }}小时"
        "{% else %}志愿服务尚无经认证的记录{% endif %}。"
        "下一步，与社区共建服务岗位，力争全年服务时长达到{{ bar.hours }}小时以上。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if not practice_sets %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是每周一练尚未开展。"
        "下一步，由各学科组每周布置一套练习，按班级统计完成情况。",
    ),
    ("tag", "{%p elif on_time_pct < bar.on_time %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是每周一练按时完成率偏低。"
        "应交{{ practice_expected }}份，按时完成{{ practice_on_time }}份，按时完成率{{ practice_on_time_rate }}"
        "{% if on_time_low %}，{{ on_time_low.names }}最低（{{ on_time_low.share }}）{% endif %}。"
        "下一步，班主任与学科教师共同跟进，力争按时完成率达到{{ bar.on_time }}%。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if tasks_overdue %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是部分分工任务逾期。"
        "{{ tasks_overdue }}项任务逾期未完成：{{ overdue_tasks }}。下一步，由工作小组逐项督办，限期完成。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if not commitments %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是公开承诺尚未开展。"
        "下一步，组织党支部和党员教师作出公开承诺，每人2至5条，在校内公开。",
    ),
    ("tag", "{%p elif commitments_overdue or fulfilment_pct < bar.fulfilment %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是践诺还不到位。"
        "{{ commitment_items }}条承诺事项兑现{{ commitments_fulfilled }}条，兑现率{{ fulfilment_rate }}"
        "{% if commitments_overdue %}，{{ commitments_overdue }}条逾期未兑现：{{ overdue_items }}{% endif %}。"
        "下一步，由党支部逐条督促践诺，年终进行党员评、群众评、组织评。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if not evaluations_published %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是民主评议尚未完成。"
        "{% if evaluations_held %}已组织的{{ evaluations_held }}次评议还没有公布结果。"
        "{% else %}本阶段还没有组织民主评议。{% endif %}下一步，按方案组织评议并及时公布结果。",
    ),
    ("tag", "{%p elif lowest_turnout_pct < bar.turnout %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是评议参评率不均衡。{{ evaluation_turnouts }}。"
        "下一步，提前发放投票码、延长投票时间，力争每次评议参评率达到{{ bar.turnout }}%。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if prize_due_num > prize_paid_num %}"),
    (
        "body",
        "{% set n.bad = n.bad + 1 %}{{ nth[n.bad] }}是奖金尚未发放到位。应发奖金{{ prize_due }}，"
        "已发{{ prize_paid }}，尚有{{ prize_unpaid }}未发放。下一步，由财务按名单尽快发放并登记。",
    ),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if n.bad == 0 %}"),
    ("body", "对照方案确定的目标，各项工作均已达到预期，没有逾期未完成的任务和承诺。"),
    ("tag", "{%p endif %}"),
    ("tag", "{%p if class_low and students_pct >= bar.participation %}"),
    (
        "body",
        "同时也要看到，各班之间还不平衡：{{ class_low.names }}的参与率为{{ class_low.share }}，"
        "与{{ class_top.names }}（{{ class_top.share }}）相比还有差距"
        "{% if on_time_low and on_time_pct >= bar.on_time %}；每周一练按时完成率{{ on_time_low.names }}为"
        "{{ on_time_low.share }}，也低于{{ on_time_top.names }}（{{ on_time_top.share }}）{% endif %}。"
        "下一步，将请参与率高的班级介绍做法，帮助相对薄弱的班级补齐短板。",
    ),
    ("tag", "{%p endif %}"),
    (
        "body",
        "下一步，我们将巩固已有成果：一是把每周一练、公开承诺、民主评议等行之有效的做法固化为制度；"
        "二是用好本次活动积累的数据，对照问题逐项整改，做到问题不解决不松手；"
        "三是加强先进典型的宣传，发挥榜样的示范引领作用，形成创先争优的长效机制。",
    ),
    ("sign", "{{ school }}"),
    ("sign", "{{ as_of }}"),
]

DEFAULT_TEXT: list[tuple[str, str]] = [*PLAN, *RESULTS, *LESSONS, *PROBLEMS]
