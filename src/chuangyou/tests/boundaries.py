"""The registry behind `test_service_boundaries.py` (issue 9): every public function of every
`chuangyou.<app>.services` module, and every public function elsewhere that takes a keyword-only
`actor` (the uses built on the evaluation engine, such as `projects.review`), is either

- **probed**: it takes an actor, and the suite calls it with objects of 第一中学 as the admin of
  第二中学 (oscar) and as the county's bureau admin (ju), expecting a refusal and no change
  (`test_a_foreign_actor_is_refused`); objects are built by `tests/builders.py` from the type
  annotations, so a new service is probed without anyone writing a line;
- **covered elsewhere**: named in `COVERED` with the tests that refuse a foreign actor for it;
- **takes no foreign id**: named in `NO_FOREIGN_ID` with the reason (a pure helper, a public
  form with no actor, the caller's own account, or the system alone);
- **pending**: named in `PENDING`, a known gap. Each is an expected failure (strict), so the list
  can only shrink: once a service is probed or covered, its entry must go.

A service in none of these fails the check, so a new service cannot arrive without a refusal test.
"""

from __future__ import annotations

# Services a bureau admin may call on a school of its bureau (or on the bureau itself): for these only
# the other school's admin is probed. Each is the bureau's own work, described in docs/domain.md.
BUREAU_MAY: dict[str, str] = {
    "accounts.services.reset_password_by_bureau": "the bureau resets accounts that serve in several places",
    "org.services.create_school": "a bureau adds its schools",
    "org.services.grant_role": "a bureau seats a school's first admin (a school admin seat only)",
    "nominations.services.awards.create_bureau_award_type": "the bureau's own awards",
    "nominations.services.notices.publish_bureau_notice": "the bureau's own 公示",
    "reports.services.request_bureau_summary": "the bureau's own 总结",
}

# Refusal tests written by hand, for services the generic probe cannot call meaningfully.
COVERED: dict[str, list[str]] = {
    "accounts.services.reset_password": [
        "accounts/tests/test_account_boundary.py::test_the_attack_of_issue_9_fails_even_with_a_seat_already_granted",
        "accounts/tests/test_account_boundary.py::test_a_school_cannot_reset_a_teacher_who_also_serves_another_school",
        "org/tests/test_permissions.py::test_an_admin_cannot_reset_an_account_of_another_school",
    ],
    "accounts.services.reset_password_by_bureau": [
        "accounts/tests/test_account_boundary.py::test_another_bureau_cannot_reset_this_bureaus_accounts",
        "accounts/tests/test_account_boundary.py::test_only_the_bureau_admin_uses_the_bureau_reset",
    ],
    "org.services.grant_role": [
        "accounts/tests/test_account_boundary.py::test_another_schools_admin_cannot_seat_someone_not_on_its_roster",
        "accounts/tests/test_account_boundary.py::test_a_seat_needs_the_matching_roster_row",
    ],
    "org.services.enter_holiday_schedule": [
        "org/tests/test_holidays.py::test_who_may_enter_the_bureaus_schedule",
        "org/tests/test_holidays.py::test_who_may_enter_the_schools_schedule",
    ],
    "accounts.services.issue_class_passwords": [
        "accounts/tests/test_account_boundary.py::test_linking_the_bureau_admin_as_a_guardian_does_not_hand_over_the_account",
    ],
    "notifications.services.configure_channel": [
        "notifications/tests/test_channel_settings.py::test_only_the_schools_admin_sets_up_channels",
    ],
    "notifications.services.send_test_message": [
        "notifications/tests/test_send_test_message.py::test_only_the_schools_admin_may_send_one",
    ],
}

# Public service functions that take no id of another school's person, account, class, file or
# school from a caller, and why.
NO_FOREIGN_ID: dict[str, str] = {
    # accounts: the caller's own account, or no account yet
    "accounts.services.sign_in": "signs in with a login and password; no actor, no id",
    "accounts.services.username_for": "turns what a person types into a login key; reads nothing of another",
    "accounts.services.user_for_token": "looks up the caller's own token by its secret",
    "accounts.services.change_own_password": "the caller's own account (the router passes request.auth)",
    "accounts.services.create_api_token": "the caller's own account",
    "accounts.services.revoke_api_token": "scoped to the caller's own tokens (user=user in the filter)",
    # audit: the log itself, written by every service inside its own transaction
    "audit.services.chain_label": "formats a chain's name",
    "audit.services.change_for": "builds a Change value; writes nothing",
    "audit.services.normalize": "pure",
    "audit.services.record": "called by services after their own checks; never by a router",
    "audit.services.record_many": "called by services after their own checks; never by a router",
    "audit.services.snapshot": "pure",
    "audit.services.verify_chain": "reads a chain; the oversight pages check who may",
    "audit.services.block_mac": "pure: the keyed seal of a block",
    "audit.services.merkle_root": "pure",
    "audit.services.seal_pending": "the task worker seals committed entries; no actor, no caller's id",
    "audit.services.seal_all": "the task worker and the seal-audit command; no actor",
    "audit.services.seal_waiting": "seals this process's waiting timers at exit; no actor",
    "audit.services.make_checkpoint": "oversight.selectors.checkpoint_for checks can_read_audit first",
    "audit.services.read_checkpoint": "parses and checks the signature of an uploaded file; reads no row",
    # notifications: queued by services after their own checks; a person's own inbox
    "notifications.services.notify": "called by services after their own checks, in their transaction",
    "notifications.services.enabled_channels": "reads the channels of a school the calling service checked",
    "notifications.services.deliver_due": "the task worker sends what checked services queued; no actor",
    "notifications.services.quiet_until": "pure",
    "notifications.services.backoff": "pure",
    "notifications.services.next_morning": "pure",
    "notifications.services.mark_all_read": "the actor's own messages (recipient = actor.user)",
    "notifications.services.require_admin": "a check inside configure_channel",
    "notifications.services.set_contact": "the actor's own contact details (user = actor.user)",
    # pure helpers and values
    "activities.services.signup.eligibility_problem": "a predicate on objects its caller has checked",
    "books.services.book_key": "pure",
    "campaigns.services.plan.check_phase_plan": "pure validation",
    "campaigns.services.safety.check_safety_file": "checks an upload's content",
    "campaigns.services.plan.default_phase_dates": "pure",
    "campaigns.services.plan.max_span_days": "reads a setting",
    "campaigns.services.plan.plausible_window": "pure",
    "commitments.services.check_item_count": "pure validation",
    "evaluations.services.voting.allowed_subjects": "a predicate on an entitlement already found by its code",
    "evaluations.services.voting.clean_content": "pure validation",
    "evaluations.services.voting.void_explanation": "pure: the Chinese words for why a ballot would be void",
    "evaluations.services.shared.code_digest": "pure",
    "evaluations.services.closing.compute_result": "called by close_voting/recount after their checks",
    "evaluations.services.voting.entitlement_for_code": "finds a ballot by its one-time secret code",
    "evaluations.services.shared.format_receipt": "pure",
    "evaluations.services.shared.normalize_code": "pure",
    "evaluations.services.closing.paper_status": "reads one evaluation already scoped by the caller",
    "evaluations.services.voting.receipt_counted": "a voter checks their own receipt on the public page",
    "evaluations.services.shared.receipt_digest": "pure",
    "evaluations.services.closing.result_digest": "pure",
    "evaluations.services.building.roster_subjects": "reads a class already scoped by the caller",
    "evaluations.services.building.create_once": "create_evaluation checks the actor and school it is given",
    "evaluations.services.building.staff_user_ids": "maps staff ids the calling use has scoped",
    "honors.services.can_issue": "a predicate",
    "honors.services.can_issue_bureau": "a predicate",
    "honors.services.can_issue_honor": "a predicate",
    "honors.services.can_raise_budget": "a predicate",
    "honors.services.certificate_data": "formats an honor already scoped by the caller",
    "honors.services.committed": "sums a budget already scoped by the caller",
    "honors.services.format_number": "pure",
    "honors.services.issuer_name": "formats an honor",
    "honors.services.seal_for": "reads the seal of an honor already scoped by the caller",
    "honors.services.seal_png": "reads a school's seal for its own certificates",
    "nominations.services.nominating.require_not_frozen": "a check on a nomination the caller holds",
    "nominations.services.objections.next_steps": "pure: the moves allowed from a state",
    "nominations.services.objections.file_objection": "the public objects to a published notice; no actor",
    "nominations.services.objections.is_final": "a predicate",
    "nominations.services.objections.objection_by_code": "finds an objection by its secret code",
    "nominations.services.quotas.quota_check": "a check inside nominating's services",
    "nominations.services.quotas.require_gates": "a check inside nominating's services",
    "nominations.services.quotas.require_quota": "a check inside nominating's services",
    "nominations.services.shared.decide": "the shared step of advance/select/decline, after their checks",
    "nominations.services.shared.lock_award": "a lock inside nominating's services",
    "nominations.services.shared.person": "names the actor",
    "nominations.services.shared.system_user": "the system's account",
    "org.services.check_mobile": "pure validation",
    "practice.services.auto_score": "pure",
    "practice.services.fold": "pure",
    "practice.services.set_class_ids": "reads one set already scoped by the caller",
    "projects.services.default_min_panel_size": "reads a setting",
    "projects.services.granted_total": "sums one call already scoped by the caller",
    "projects.services.max_attachments": "reads a setting",
    "projects.services.max_team_size": "reads a setting",
    "reports.services.summary_title_year": "pure",
    "honors.services.write_batch": "the task worker writes what a checked request_batch asked for",
    "reports.services.write_document": "the task worker writes what a checked service asked for",
    "roster.services.progress_key": "pure",
    "roster.services.run_import": "the task worker runs what a checked upload queued",
    "roster.services.fail_stale_imports": "imports_visible_to calls it after can_manage_people",
    "volunteering.services.check_hours": "pure validation",
    # the system alone
    "org.services.create_bureau": "the system alone (require(actor.system))",
    "org.services.set_up_school": "the system alone (require(actor.system))",
}

# Known gaps: services that take a foreign id but have neither a generic probe nor a hand-written
# refusal test yet. Each is an expected failure, listed so the debt is visible.
PENDING: dict[str, str] = {}
