"""昭陵中学's 2012 创先争优 plan, as seed 000 gives it (its last part, signed 昭陵中学党支部, 2012年2月).

The "五个好" and "五个模范" it lists are kept word for word in `evaluations/rubrics.py`, whose ready-made
rubrics are built from them; they are re-exported here so the plan reads whole.
"""

# The plan's 五个好 and 五个模范, re-exported from the engine's ready-made rubrics.
from chuangyou.evaluations.rubrics import FIVE_GOODS as FIVE_GOODS
from chuangyou.evaluations.rubrics import FIVE_MODELS as FIVE_MODELS

TITLE = "昭陵中学2012年创先争优活动实施方案"

THEME = "筑堡垒，加强党的组织建设；讲党性，突出党员队伍建设；树先锋，强化职业道德建设"

GOALS = "推进教育全面发展，办好人民满意的教育"

PRINCIPLES = (
    "以邓小平理论和“三个代表”重要思想为指导，深入学习实践科学发展观，以“五星级”基层党组织创建活动和"
    "争当“师德标兵”活动为载体，坚持“推动科学发展，促进社会和谐，服务人民群众，加强基层组织”的原则，"
    "充分发挥学校党组织的战斗堡垒作用和共产党员的先锋模范作用，推进本校教育事业和谐发展、科学发展。"
)

# The three stages of the 2012 plan ("四、方法步骤"), with the dates the plan gives or implies:
# mobilization in early June, the closing stage before the 18th Party Congress (November 2012).
STAGES_2012 = (
    (
        "广泛发动，安排部署",
        (2012, 6, 1),
        (2012, 6, 10),
        "召开专题动员大会，进行安排部署，搞好宣传发动。",
    ),
    (
        "全面争创，扎实推进",
        (2012, 6, 11),
        (2012, 9, 30),
        "一是申报承诺：党支部制订支部创建目标，党员提出具体打算和个人奋斗目标，向区教育局创先办申报备案，"
        "并向群众公开，作出承诺。二是组织创争。三是评选表彰：按照“注重工作实绩和社会公认度”，向上推荐表彰。",
    ),
    (
        "系统总结，完善机制",
        (2012, 10, 1),
        (2012, 11, 7),
        "一是展示成果：举办图片展、理论成果研讨会、编写简报。二是搞好总结。三是组织评议。"
        "四是完善机制：把行之有效的做法用制度的形式固定下来，形成长效机制。",
    ),
)
