package issuer

import (
	"context"
	"errors"
	"fmt"
)

// sweepPage is how many records CompleteAllPathways reads at a time.
const sweepPage = 500

// maxSweepErrors bounds how many learners' errors CompleteAllPathways
// returns: a pathway set up wrong fails for every learner alike.
const maxSweepErrors = 10

// A PathwaySweep is what CompleteAllPathways did.
type PathwaySweep struct {
	// Learners is how many learners it looked at: those the records name
	// by id who hold an issued award of one of the pathways' achievements.
	Learners int
	// Awarded are the pathway awards it made, as CompletePathways returns
	// them (with the pathways each completed in turn in Issued.Pathways),
	// learner after learner.
	Awarded []*Issued
	// Unnamed is how many issued awards of the pathways' achievements are
	// of learners known by an email address alone, which the records do
	// not keep (see Record.Learner): CompleteAllPathways cannot name those
	// learners, and CompletePathways with their address completes their
	// pathways.
	Unnamed int
	// Failed is how many learners' pathways could not be awarded (the
	// error says why, for the first few).
	Failed int
}

// CompleteAllPathways does what CompletePathways does for every learner
// the records name by id who holds an issued award of one of the
// configured pathways' achievements: it awards every pathway whose
// achievements a learner holds and that has no standing record. It is
// how an issuer recovers the pathway awards that a stop cut short (a
// process that ends between a learner's last award and the pathway's
// leaves the pathway unawarded), or awards a pathway added to the
// configuration after its achievements were awarded. Like
// CompletePathways it awards each pathway once, also when run again or
// by several processes at once.
//
// It reads the records a page at a time (Records.List, by achievement
// and award key) and keeps only the ids of the learners it has looked
// at. A learner known by an email address alone cannot be found this
// way (the records keep no address); PathwaySweep.Unnamed counts their
// awards. A pathway awarded this way names the learner by id alone: the
// email address, if the learner's other credentials carry one, is not in
// the records either.
//
// An error for one learner does not stop the others: the sweep goes on,
// counts the learner in Failed and returns an error wrapping the first
// few learners' errors (as CompletePathways returns them) with what it
// did. An error reading the records, or the context's, stops it.
func (i *Issuer) CompleteAllPathways(ctx context.Context) (*PathwaySweep, error) {
	out := &PathwaySweep{}
	// The achievements pathways are made of, each once, in the order of
	// Config.Achievements.
	var parts []string
	for _, a := range i.cfg.Achievements {
		if len(i.partOf[a.ID]) > 0 {
			parts = append(parts, a.ID)
		}
	}
	seen := make(map[string]bool)
	var errs []error
	for _, id := range parts {
		f := Filter{AchievementID: id, State: StateIssued, Limit: sweepPage}
		for {
			if err := ctx.Err(); err != nil {
				return out, sweepError(out, errs, err)
			}
			page, err := i.records.List(ctx, f)
			if err != nil {
				return out, sweepError(out, errs, fmt.Errorf("issuer: reading the records of %s: %w", id, err))
			}
			if len(page) == 0 {
				break
			}
			f.After = page[len(page)-1].AwardKey
			for _, rec := range page {
				// The filter again: a Records that ignored part of it
				// must not make the sweep look at what it should not.
				if rec.AchievementID != id || rec.State != StateIssued {
					continue
				}
				l := rec.Learner.ID
				if l == "" {
					out.Unnamed++
					continue
				}
				if seen[l] {
					continue
				}
				seen[l] = true
				out.Learners++
				got, err := i.CompletePathways(ctx, Learner{ID: l})
				out.Awarded = append(out.Awarded, got...)
				if err != nil {
					if ctx.Err() != nil {
						return out, sweepError(out, errs, err)
					}
					out.Failed++
					if len(errs) < maxSweepErrors {
						errs = append(errs, fmt.Errorf("the learner of award %s: %w", rec.AwardKey, err))
					}
				}
			}
		}
	}
	return out, sweepError(out, errs, nil)
}

// sweepError is the error CompleteAllPathways returns: the learners'
// errors it kept, how many more failed, and what stopped it (stop, if
// not nil).
func sweepError(out *PathwaySweep, errs []error, stop error) error {
	if len(errs) == 0 && stop == nil {
		return nil
	}
	var all []error
	if stop != nil {
		all = append(all, stop)
	}
	if out.Failed > 0 {
		all = append(all, fmt.Errorf("issuer: the pathways of %d of %d learners could not be awarded", out.Failed, out.Learners))
		all = append(all, errs...)
		if more := out.Failed - len(errs); more > 0 {
			all = append(all, fmt.Errorf("and %d more learners' errors", more))
		}
	}
	return errors.Join(all...)
}
