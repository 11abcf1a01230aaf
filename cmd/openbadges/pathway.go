package main

import (
	"errors"
	"fmt"
	"path/filepath"

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

// writePathways writes the credential of each pathway award that res
// made (and those they made in turn) to dir as AWARDKEY.json (or .jwt),
// as a batch writes its rows' credentials, says so on standard error
// for the CSV line line, and returns how many it wrote.
func writePathways(e env, dir string, line int, res *issuer.Issued) (int, error) {
	if res == nil {
		return 0, nil
	}
	n := 0
	for _, p := range res.Pathways {
		if p.State == issuer.StateIssued && !p.Existing {
			name, data := p.AwardKey+".json", p.Credential
			if len(data) == 0 {
				name, data = p.AwardKey+".jwt", []byte(p.JWT)
			}
			if err := writeFileAtomic(filepath.Join(dir, name), data, 0o644); err != nil {
				return n, err
			}
			fmt.Fprintf(e.stderr, "line %d completed the pathway %s: %s\n", line, p.AchievementID, filepath.ToSlash(filepath.Join(dir, name)))
			n++
		}
		m, err := writePathways(e, dir, line, p)
		if n += m; err != nil {
			return n, err
		}
	}
	return n, nil
}
