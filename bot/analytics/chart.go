package analytics

import (
	"bytes"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// ChartLabels are the chart's texts. The embedded fonts have no CJK
// glyphs, so the catalogs keep these in Latin script in every language.
type ChartLabels struct {
	Title, Active, Joins string
}

// Chart draws daily active members and joins as a PNG.
func Chart(days []Daily, labels ChartLabels) ([]byte, error) {
	p := plot.New()
	p.Title.Text = labels.Title
	p.X.Tick.Marker = plot.TimeTicks{Format: "01-02"}
	p.Y.Min = 0
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	active := make(plotter.XYs, len(days))
	joins := make(plotter.XYs, len(days))
	for i, d := range days {
		x := float64(d.Day.Date().Unix())
		active[i] = plotter.XY{X: x, Y: float64(d.Active)}
		joins[i] = plotter.XY{X: x, Y: float64(d.Joined)}
	}
	for _, s := range []struct {
		xys   plotter.XYs
		name  string
		color color.Color
	}{
		{active, labels.Active, color.RGBA{R: 0x1f, G: 0x77, B: 0xb4, A: 0xff}},
		{joins, labels.Joins, color.RGBA{R: 0xff, G: 0x7f, B: 0x0e, A: 0xff}},
	} {
		line, points, err := plotter.NewLinePoints(s.xys)
		if err != nil {
			return nil, err
		}
		line.Color, points.Color = s.color, s.color
		line.Width = vg.Points(2)
		p.Add(line, points)
		p.Legend.Add(s.name, line)
	}
	w, err := p.WriterTo(8*vg.Inch, 4*vg.Inch, "png")
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := w.WriteTo(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
