// Package issuer decides whether a learner has earned an achievement and
// issues the credential when they have. An LMS reports a Submission (what
// the learner completed, scored and handed in); Evaluators judge it
// against the achievement's criteria, people settle the doubtful cases
// through a ReviewQueue, and only what was awarded is signed. Start with New
// and Issuer.Issue (or Batch), with the built-in evaluators below.
//
// # Evaluators
//
// An Evaluator returns a Decision: Award, Deny, or Review when a person
// must decide, with reasons a person can read and the Results and
// Alignments the credential will carry. The built-in evaluators cover
// the usual criteria: Completion, MinScore (percent, raw, grade point and
// letter grades, read from the achievement's ResultDescription),
// RubricLevel, RequiredEvidence, Prerequisites and TimeWindow. AllOf,
// AnyOf and NOf combine them, ReviewWhen turns a band of awards into
// reviews ("from 60 to 70, a person decides"), Assessed asks an Assessor
// about the evidence, and Func adapts a function for anything else.
//
// An evaluator set up wrong (a result description the achievement does
// not have, a minimum that is not on the description's scale, an empty
// combination) returns an error wrapping ErrConfig; an achievement
// judged against a submission for another one, an error wrapping
// ErrWrongAchievement. Neither is the learner's doing, so neither is a
// denial. What the learner's data lacks or gets wrong (no score, a value
// that cannot be read, too little evidence) is a denial whose reason says
// so.
//
// An achievement with no evaluator cannot be issued automatically: there
// is no default that awards, and the Issuer refuses such an achievement's
// submissions with ErrNoEvaluator.
//
// # Review
//
// When an evaluator returns Review, the submission and the evaluator's
// decision go to a ReviewQueue as a ReviewItem. A person resolves it once,
// approving or rejecting it with their name and a note; an approval
// awards what the decision measured. MemoryQueue keeps the queue in
// memory; the interface's operations are small and atomic so that a SQL
// table can implement it.
//
// # Assessment
//
// An Assessor reads the evidence (a reflection, a project summary) and
// says which skills it shows, as alignments to a framework, and whether
// it is confident. RuleAssessor does it with keyword rules; a model or a
// person can do it too. The Assessed evaluator awards what a confident
// assessor finds and sends everything else to review: an assessor's doubt
// never denies a learner.
//
// # Issuance
//
// Issuer.Issue and Issuer.Batch turn awards into signed credentials:
// built with package credential, signed with the issuer's key, given a
// status entry when revocation is configured, and checked by package
// verify before they are handed out.
//
// # Lifecycle
//
// Each learner and achievement pair (an award key) has one Record, whose
// State moves like this (Issue decides the first step):
//
//	(none) ─┬─ Award ──► issued
//	        ├─ Deny ───► denied ─── Issue ──► as from (none)
//	        └─ Review ─► in review ─┬─ Approve ──► issued
//	                                └─ Reject ───► rejected ─┬─ Issue: Deny ───────────► denied
//	                                                         ├─ Issue: Award or Review ─► in review
//	                                                         └─ Reinstate ──────────────► issued
//	issued ─┬─ Suspend ──► suspended ─┬─ Unsuspend ──► issued
//	        │                         └─ Revoke ─────► revoked
//	        ├─ Reissue ──► issued (signed again)
//	        └─ Revoke ───► revoked ─── Reinstate ──► issued (a new credential)
//
// Event by event:
//
//	state       event                              next state
//	(none)      Issue, the criteria award          issued
//	(none)      Issue, the criteria deny           denied
//	(none)      Issue, the criteria ask a person   in review
//	denied      Issue                              as from (none): the criteria decide again
//	in review   Issue                              in review, the same item
//	in review   Approve                            issued
//	in review   Reject                             rejected
//	rejected    Issue, the criteria award or ask   in review, a new item
//	rejected    Issue, the criteria deny           denied
//	rejected    Reinstate, the criteria do not deny  issued
//	issued      Issue                              issued, the same credential (Existing)
//	issued      Reissue, the criteria award        issued, signed again with a newer validFrom
//	issued      Suspend                            suspended (a suspension list only)
//	issued      Revoke                             revoked
//	suspended   Issue                              suspended: StateSuspended and no credential
//	suspended   Unsuspend                          issued, the same credential
//	suspended   Revoke                             revoked
//	revoked     Issue                              revoked: StateRevoked and no credential
//	revoked     Reissue, Suspend, Unsuspend        an error (ErrNotIssued, ErrState)
//	revoked     Reinstate, the criteria do not deny  issued: a new credential, id and status entry
//
// A rejection and a revocation are people's decisions, which the
// criteria alone never overrule: Issue does not bring either back. Only
// Reinstate does, with the name of the person who decided and why, both
// kept in the record's Reasons and the audit log (Config.Logger); it
// still evaluates the submission, so an override cannot award what the
// criteria deny. A revoked credential stays revoked: the reinstated award
// is a new credential.
//
// Revoke, Suspend and Unsuspend change the record and the status list
// together, by award key. An Open Badges 3.0 credential carries one
// status entry, so its list's purpose decides what can happen to it:
// from a revocation list it can be revoked; from a suspension list it can
// be suspended and lifted, and revoking it suspends it for good (Unsuspend
// then refuses). Verifiers see a change once the lists are published
// again (Issuer.Publish).
//
// # Pathways
//
// An achievement may be a combination of others (a Pathway: all of them,
// or N of them, within a time): a program made of courses, a certificate
// made of modules. The award that completes a pathway (by Issue, Batch,
// Approve or Reinstate) submits the pathway's award for the same learner,
// decided, reviewed and recorded like any other and returned in
// Issued.Pathways; pathways made of pathways follow in turn. Issuer
// instances sharing their records award each pathway once.
//
// # Comprehensive Learner Records
//
// Issuer.CLR gathers a learner's credentials (from the records, or handed
// in) into one signed CLR 2.0 ClrCredential, each credential embedded as
// signed, with the relations the pathways define between achievements.
package issuer
