package report

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"unicode/utf8"

	"github.com/go-openbadges/openbadges/issuer"
)

//go:embed report.html.tmpl
var pageSource string

// page is the HTML report's template, parsed once.
var pageTemplate = template.Must(template.New("report").Funcs(template.FuncMap{
	"cells":      States.cells,
	"lower":      lower,
	"upperFirst": upperFirst,
}).Parse(pageSource))

// bar is one bar of a chart, in the chart's coordinates.
type bar struct {
	Label  string // under or beside the bar; empty for none
	Value  string // the count as shown
	X, Y   int    // where the bar starts
	W, H   int    // its size; zero for a hidden count
	TX, TY int    // where its value is written
	LX, LY int    // where its label is written
	Anchor string // the value's text-anchor
}

// chart is an SVG bar chart.
type chart struct {
	ID, Title, Desc string
	W, H            int
	Bars            []bar
	// Axis is the baseline, for columns.
	AxisY, AxisX1, AxisX2 int
}

// htmlData is what the template shows.
type htmlData struct {
	*Report
	Heads      []string
	PeriodHead string
	ByName     *chart
	ByPeriod   *chart
	Backlog    string
}

// WriteHTML writes the report as one self-contained, accessible HTML page
// with no script: each chart is an SVG image drawn here, labelled and
// described, followed by a table of the same numbers; the page prints
// well on paper. Every name is escaped.
func (r *Report) WriteHTML(w io.Writer) error {
	d := htmlData{Report: r, Heads: stateHeads, PeriodHead: r.periodHead()}
	d.ByName = r.achievementChart()
	if r.Period != issuer.PeriodNone && len(r.Periods) > 0 {
		d.ByPeriod = r.periodChart()
	}
	if r.Backlog != nil {
		d.Backlog = r.Backlog.sentence()
	}
	return pageTemplate.Execute(w, d)
}

// shortName cuts a name for a chart's label; the table has it whole.
func shortName(s string) string {
	s = clean(s, false)
	if utf8.RuneCountInString(s) > 60 {
		return string([]rune(s)[:59]) + "…"
	}
	return s
}

// achievementChart draws the awards of each achievement as horizontal
// bars, each under its name.
func (r *Report) achievementChart() *chart {
	const width, row, barH, left, right = 720, 46, 18, 4, 60
	c := &chart{ID: "chart-achievements", Title: "Awards by achievement", W: width, H: max(row*len(r.Achievements), row)}
	c.Desc = "A bar for each achievement, as long as the number of awards it made " + r.Range() + ". The numbers are in the table below."
	top := 1
	for _, a := range r.Achievements {
		if a.Awarded.Status == Shown {
			top = max(top, a.Awarded.N)
		}
	}
	for i, a := range r.Achievements {
		y := i * row
		b := bar{Label: shortName(a.Name), Value: a.Awarded.String(), X: left, Y: y + 22, H: barH, LX: left, LY: y + 16, Anchor: "start"}
		if a.Awarded.Status == Shown {
			b.W = a.Awarded.N * (width - left - right) / top
		}
		b.TX, b.TY = left+b.W+6, y+22+barH-4
		c.Bars = append(c.Bars, b)
	}
	return c
}

// periodChart draws the awards of each period as columns, labelling at
// most twelve periods under the axis.
func (r *Report) periodChart() *chart {
	const width, height, top, bottom, left, right = 720, 240, 20, 28, 4, 4
	n := len(r.Periods)
	c := &chart{ID: "chart-periods", Title: "Awards by " + lower(r.periodHead()), W: width, H: height}
	c.Desc = fmt.Sprintf("A column for each %s %s, as tall as the number of awards made in it. The numbers are in the table below.", lower(r.periodHead()), r.Range())
	most := 1
	for _, p := range r.Periods {
		if p.Awarded.Status == Shown {
			most = max(most, p.Awarded.N)
		}
	}
	plot := width - left - right
	step := max(plot/n, 1)
	every := (n + 11) / 12
	c.AxisY, c.AxisX1, c.AxisX2 = height-bottom, left, left+step*n
	for i, p := range r.Periods {
		x := left + i*step
		b := bar{Value: p.Awarded.String(), X: x + step/8, W: max(step-step/4, 1), Anchor: "middle"}
		if p.Awarded.Status == Shown {
			b.H = p.Awarded.N * (height - top - bottom) / most
		} else {
			b.W = 0
		}
		b.Y = height - bottom - b.H
		b.TX, b.TY = x+step/2, b.Y-4
		if n > 24 {
			b.Value = "" // too narrow to write on; the table has them
		}
		if i%every == 0 {
			b.Label, b.LX, b.LY = p.Label, x+step/2, height-bottom+18
		}
		c.Bars = append(c.Bars, b)
	}
	return c
}

// lower returns s with its first letter small.
func lower(s string) string {
	if s == "" {
		return s
	}
	return string(s[0]|0x20) + s[1:]
}
