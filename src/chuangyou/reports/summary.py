"""The 总结 as an editable Word document: a docxtpl template filled with the campaign's facts.

The prose is the template's, never invented: a school downloads the default template, edits the
wording and uploads it back. Every number is a field of `summary_context`, already written out in
Chinese; a figure with nothing to count says "暂无数据", so no `_` blank is ever left.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

from docx import Document as new_docx
from docxtpl import DocxTemplate

from chuangyou.lib import gbt9704
from chuangyou.reports.figures import SchoolFacts

NO_DATA = "暂无数据"


def num(value: int | Decimal | None) -> str:
    if value is None:
        return NO_DATA
    if isinstance(value, Decimal):
        text = f"{value.normalize():f}"
        return text
    return str(value)


def pct(value: Decimal | None) -> str:
    return NO_DATA if value is None else f"{value}%"


def money(value: Decimal | None) -> str:
    return NO_DATA if value is None else f"{value:.2f}元"


def day(value: dt.date | None) -> str:
    return NO_DATA if value is None else f"{value.year}年{value.month}月{value.day}日"


def summary_context(f: SchoolFacts, *, theme: str = "") -> dict[str, Any]:
    """Everything the template may print, as text. Keys are the template's field names."""
    a, p, v, c, e = f.activities, f.practice, f.volunteering, f.commitments, f.evaluations
    kinds = "、".join(f"{k.label}{k.count}项" for k in a.by_kind) or NO_DATA
    stars = "、".join(f"{s.stars}星级{s.count}个" for s in e.stars if s.count) or NO_DATA
    h = f.honors
    return {
        "school": f.school_name,
        "year": f.year,
        "campaign_title": f.title,
        "theme": theme or NO_DATA,
        "as_of": day(f.as_of.date()),
        "start": day(f.start),
        "end": day(f.end),
        "phase_count": num(len(f.phases)),
        "phases": "、".join(f"{p.name}（{day(p.starts_on)}至{day(p.ends_on)}）" for p in f.phases) or NO_DATA,
        "phases_done": num(f.phases_done),
        "current_phase": f.current_phase or "无",
        "tasks_total": num(f.assignments.total),
        "tasks_done": num(f.assignments.done),
        "tasks_overdue": num(f.assignments.overdue),
        "activities_published": num(a.published),
        "activities_held": num(a.held),
        "activity_kinds": kinds,
        "students_total": num(a.students.whole),
        "students_taking_part": num(a.students.part),
        "students_share": pct(a.students.percent),
        "staff_total": num(a.staff.whole),
        "staff_taking_part": num(a.staff.part),
        "staff_share": pct(a.staff.percent),
        "person_times": num(a.person_times),
        "awards": num(a.awards),
        "practice_sets": num(p.sets),
        "practice_expected": num(p.expected),
        "practice_submitted": num(p.submitted),
        "practice_on_time": num(p.on_time),
        "practice_completion": pct(p.completion),
        "practice_on_time_rate": pct(p.on_time_rate),
        "volunteer_hours": num(v.hours),
        "volunteer_claims": num(v.claims),
        "volunteer_students": num(v.students),
        "volunteer_staff": num(v.staff),
        "commitments": num(c.commitments),
        "commitment_items": num(c.items),
        "commitments_fulfilled": num(c.fulfilled),
        "commitments_not_fulfilled": num(c.not_fulfilled),
        "commitments_overdue": num(c.overdue),
        "commitments_filed": num(c.filed),
        "fulfilment_rate": pct(c.fulfilment_rate),
        "evaluations_held": num(e.held),
        "evaluations_published": num(e.published),
        "turnout": pct(e.turnout),
        "branches_rated": num(e.branches_rated),
        "stars": stars,
        "nominations": num(h.nominations),
        "honors_total": num(h.total),
        "honors_by_type": "、".join(f"{t.name}{t.count}人" for t in h.by_type) or NO_DATA,
        "prize_money": money(h.prize_money),
        "photos": num(a.photos),
        "budget_planned": money(f.budget.planned),
        "budget_granted": money(f.budget.granted),
        "classes": [
            {
                "name": line.name,
                "students": num(line.students),
                "taking_part": num(line.taking_part),
                "participation": pct(line.participation),
                "on_time": pct(line.on_time),
                "hours": num(line.hours),
            }
            for line in f.classes
        ],
    }


# The default template: GB/T 9704 layout, 基本情况 → 主要做法 → 成效 → 经验 → 问题与下一步.
DEFAULT_TEXT: list[tuple[str, str]] = [
    ("title", "{{ school }}{{ year }}年度创先争优活动总结"),
    ("h1", "一、基本情况"),
    (
        "body",
        "{{ year }}年，我校按照《{{ campaign_title }}》的部署，以“{{ theme }}”为主题开展创先争优活动。"
        "活动自{{ start }}起至{{ end }}止，分{{ phase_count }}个阶段推进：{{ phases }}。"
        "截至{{ as_of }}，已完成{{ phases_done }}个阶段，当前阶段为{{ current_phase }}。"
        "全校现有学生{{ students_total }}名、教职工{{ staff_total }}名。",
    ),
    ("h1", "二、主要做法"),
    ("h2", "（一）分工到人，压实责任。"),
    (
        "body",
        "活动方案共确定分工任务{{ tasks_total }}项，每项任务明确一名负责人和完成时限，"
        "已完成{{ tasks_done }}项。",
    ),
    ("h2", "（二）搭建载体，全员参与。"),
    (
        "body",
        "围绕活动主题，共发布活动{{ activities_published }}项，已举办{{ activities_held }}项，"
        "其中{{ activity_kinds }}。坚持每周一练，共布置练习{{ practice_sets }}套。",
    ),
    ("h2", "（三）公开承诺，接受监督。"),
    (
        "body",
        "党支部和党员教师公开承诺{{ commitments }}份、承诺事项{{ commitment_items }}条，"
        "向教育局申报备案{{ commitments_filed }}份。",
    ),
    ("h2", "（四）民主评议，评选先进。"),
    (
        "body",
        "开展民主评议{{ evaluations_held }}次，公布评议结果{{ evaluations_published }}次；"
        "自下而上推荐先进{{ nominations }}人次。",
    ),
    ("h1", "三、取得的成效"),
    (
        "body",
        "一是参与面广。学生参加活动{{ students_taking_part }}人，占学生总数的{{ students_share }}；"
        "教职工参加活动{{ staff_taking_part }}人，占教职工总数的{{ staff_share }}；"
        "累计参与{{ person_times }}人次，获奖{{ awards }}人次。",
    ),
    (
        "body",
        "二是常规扎实。每周一练应交{{ practice_expected }}份，实交{{ practice_submitted }}份，"
        "完成率{{ practice_completion }}；按时完成{{ practice_on_time }}份，"
        "按时完成率{{ practice_on_time_rate }}。",
    ),
    (
        "body",
        "三是服务有力。志愿服务经组织者认证{{ volunteer_claims }}人次、共{{ volunteer_hours }}小时，"
        "参与学生{{ volunteer_students }}人、教职工{{ volunteer_staff }}人。",
    ),
    (
        "body",
        "四是承诺兑现。承诺事项已兑现{{ commitments_fulfilled }}条，兑现率{{ fulfilment_rate }}；"
        "未兑现{{ commitments_not_fulfilled }}条，均已写明原因。",
    ),
    (
        "body",
        "五是评议公正。民主评议参评率{{ turnout }}；党支部参加星级评定{{ branches_rated }}个，"
        "其中{{ stars }}。",
    ),
    (
        "body",
        "六是先进涌现。共表彰{{ honors_total }}人次：{{ honors_by_type }}；发放奖金{{ prize_money }}。"
        "成果展示共展出活动照片{{ photos }}张。活动经费预算{{ budget_planned }}，"
        "创新项目资助{{ budget_granted }}。",
    ),
    ("table", ""),
    ("h1", "四、主要经验"),
    (
        "body",
        "一是领导带头、分工负责，确保每项任务有人抓、有人管。二是以活动为载体，把创先争优融入教育教学日常。"
        "三是公开承诺、民主评议，让师生和家长参与监督，评选过程公开透明。",
    ),
    ("h1", "五、存在的问题和下一步打算"),
    (
        "body",
        "目前仍有{{ tasks_overdue }}项分工任务逾期未完成，{{ commitments_overdue }}条承诺事项逾期未兑现。"
        "下一步，我们将逐项督办逾期任务和承诺，扩大活动覆盖面，把行之有效的做法固化为长效机制。",
    ),
]


def default_template() -> bytes:
    """The app's 总结 template, built in code so its layout is reviewed like code."""
    doc = new_docx()
    gbt9704.setup(doc)
    for kind, text in DEFAULT_TEXT:
        if kind == "title":
            gbt9704.title(doc, text)
        elif kind == "h1":
            gbt9704.heading(doc, text, 1)
        elif kind == "h2":
            gbt9704.heading(doc, text, 2)
        elif kind == "body":
            gbt9704.body(doc, text)
        else:
            _class_table(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _class_table(doc: Any) -> None:
    gbt9704.body(doc, "各班参与情况如下表（按年级、班级顺序排列）：")
    headers = ("班级", "学生数", "参与人数", "参与率", "每周一练按时完成率", "志愿服务时长（小时）")
    fields = ("name", "students", "taking_part", "participation", "on_time", "hours")
    table = doc.add_table(rows=3, cols=len(headers))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        cell.paragraphs[0].text = text
    table.rows[1].cells[0].paragraphs[0].text = "{%tr for c in classes %}"
    for cell, name in zip(table.rows[2].cells, fields, strict=True):
        cell.paragraphs[0].text = f"{{{{ c.{name} }}}}"
    end = table.add_row()
    end.cells[0].paragraphs[0].text = "{%tr endfor %}"
    for row in table.rows:
        for cell in row.cells:
            for paragraph in cell.paragraphs:
                paragraph.style = doc.styles[gbt9704.STYLE_TABLE]


def render(template: bytes, context: dict[str, Any]) -> bytes:
    doc = DocxTemplate(io.BytesIO(template))
    doc.render(context, autoescape=True)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def docx_text(data: bytes) -> str:
    """All the text of a .docx, paragraphs and table cells, for checks."""
    doc = new_docx(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)
