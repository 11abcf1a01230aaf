package main

import (
	"errors"
	"fmt"

	"github.com/go-openbadges/openbadges/issuer"
)

// pathwayOutcome separates from Issue's or Reinstate's error an
// issuer.ErrPathway: the award stands and is printed, and the pathway
// that could not be awarded is said on standard error first. It returns
// the exit status of the command if its award was made (exitOK, or
// exitCantRun after an ErrPathway, so that a script runs the command
// again, which retries the pathway), and the error left.
func pathwayOutcome(e env, name string, res *issuer.Issued, err error) (int, error) {
	if res == nil || !errors.Is(err, issuer.ErrPathway) {
		return exitOK, err
	}
	fmt.Fprintf(e.stderr, "openbadges %s: the award is made, but %s; run the command again to retry\n", name, forPeople(err.Error()))
	return exitCantRun, nil
}

// printPathways says on standard error which pathways the award res
// completed, and those they completed in turn.
func printPathways(e env, res *issuer.Issued) {
	if res == nil {
		return
	}
	for _, p := range res.Pathways {
		switch {
		case p.State == issuer.StateIssued && p.Existing:
		case p.State == issuer.StateIssued:
			fmt.Fprintf(e.stderr, "completed the pathway %s: issued %s\n", p.AchievementID, p.AwardKey)
		case p.State == issuer.StateInReview:
			fmt.Fprintf(e.stderr, "completed the pathway %s: sent to review (%s)\n", p.AchievementID, p.ReviewID)
		default:
			fmt.Fprintf(e.stderr, "completed the pathway %s: %s\n", p.AchievementID, p.State)
		}
		printPathways(e, p)
	}
}
