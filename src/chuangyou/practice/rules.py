"""Who may do what in 每周一练, built on the organization's predicates.

A teacher (a teacher seat in the school) writes and grades their own sets. A 班主任 follows the sets
given to their class; the school's office and bureau read everything. A student answers the published
sets of their class; a parent reads their child's results.
"""

from __future__ import annotations

from collections.abc import Collection

from chuangyou.org.models import Role, School, SchoolClass, Student
from chuangyou.org.rules import Actor, can_read_school, can_view_student
from chuangyou.practice.models import ExerciseSet


def is_teacher_in(actor: Actor, school: School) -> bool:
    return actor.system or actor.holds(Role.TEACHER, school_id=school.pk)


def owns_set(actor: Actor, exercise_set: ExerciseSet) -> bool:
    """The set's author, while they still teach in the school."""
    if actor.system:
        return True
    return (
        actor.user is not None
        and exercise_set.author.user_id == actor.user.pk
        and actor.holds(Role.TEACHER, school_id=exercise_set.school_id)
    )


def can_follow_class(actor: Actor, exercise_set: ExerciseSet, school_class: SchoolClass) -> bool:
    """See how one class of the set is doing: the author, that class's 班主任, the office."""
    return (
        owns_set(actor, exercise_set)
        or school_class.pk in actor.head_teacher_class_ids()
        or can_read_school(actor, exercise_set.school)
    )


def can_follow_set(actor: Actor, exercise_set: ExerciseSet, class_ids: Collection[int]) -> bool:
    """See the set's report for at least one of its classes (`class_ids`)."""
    return (
        owns_set(actor, exercise_set)
        or bool(actor.head_teacher_class_ids() & set(class_ids))
        or can_read_school(actor, exercise_set.school)
    )


def can_answer(actor: Actor, exercise_set: ExerciseSet, student: Student, class_ids: Collection[int]) -> bool:
    """A student answers a published set given to their class, for themselves only."""
    return (
        exercise_set.is_published
        and actor.own_student_id == student.pk
        and student.school_class_id in class_ids
    )


def can_see_results_of(actor: Actor, exercise_set: ExerciseSet, student: Student) -> bool:
    """A student's own, a parent's child's, the 班主任's class, the office's; and the set's author."""
    return can_view_student(actor, student) or owns_set(actor, exercise_set)
