package main

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"os"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// plot draws the median get latency (ms, log scale) against the number of
// stored entries (log scale), one line per helper, and writes it as a PNG.
func plot(path string, sizes []int, names []string, ms map[string][]float64) error {
	const w, h = 1000, 560
	const left, right, top, bottom = 80, 330, 50, 60
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), image.White, image.Point{}, draw.Src)

	lo, hi := math.Inf(1), math.Inf(-1)
	for _, vs := range ms {
		for _, v := range vs {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	yLo, yHi := math.Floor(math.Log10(lo)), math.Ceil(math.Log10(hi))
	if yHi == yLo {
		yHi++
	}
	xLo, xHi := math.Log10(float64(sizes[0])), math.Log10(float64(sizes[len(sizes)-1]))
	px := func(n float64) int { return left + int((math.Log10(n)-xLo)/(xHi-xLo)*float64(w-left-right)) }
	py := func(v float64) int { return h - bottom - int((math.Log10(v)-yLo)/(yHi-yLo)*float64(h-top-bottom)) }

	grid := color.RGBA{0xdd, 0xdd, 0xdd, 0xff}
	black := color.RGBA{0, 0, 0, 0xff}
	// Grid lines and tick labels: every decade of y (and 2x, 5x), every size on x.
	for e := yLo; e <= yHi; e++ {
		for _, m := range []float64{1, 2, 5} {
			v := m * math.Pow(10, e)
			if math.Log10(v) > yHi+1e-9 {
				break
			}
			y := py(v)
			line(img, left, y, w-right, y, grid)
			text(img, left-8-7*len(label(v)), y+4, label(v), black)
		}
	}
	for _, n := range sizes {
		x := px(float64(n))
		line(img, x, top, x, h-bottom, grid)
		s := fmt.Sprint(n)
		text(img, x-7*len(s)/2, h-bottom+18, s, black)
	}
	line(img, left, top, left, h-bottom, black)
	line(img, left, h-bottom, w-right, h-bottom, black)
	text(img, left, 28, "git credential get: median time of one whole process against stored entries (log-log)", black)
	text(img, (left+w-right)/2-100, h-18, "entries stored in the helper", black)
	text(img, 8, top-12, "ms", black)

	colors := []color.RGBA{{0xd6, 0x27, 0x28, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x1f, 0x77, 0xb4, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0x94, 0x67, 0xbd, 0xff}}
	for k, name := range names {
		c := colors[k%len(colors)]
		vs := ms[name]
		for i := range vs {
			x, y := px(float64(sizes[i])), py(vs[i])
			square(img, x, y, 3, c)
			if i > 0 {
				thick(img, px(float64(sizes[i-1])), py(vs[i-1]), x, y, c)
			}
		}
		ly := top + 20 + 22*k
		thick(img, w-right+16, ly-4, w-right+46, ly-4, c)
		text(img, w-right+54, ly, name, black)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func label(v float64) string {
	if v >= 1 {
		return fmt.Sprintf("%g", v)
	}
	return fmt.Sprintf("%.2g", v)
}

func text(img *image.RGBA, x, y int, s string, c color.Color) {
	d := font.Drawer{Dst: img, Src: image.NewUniform(c), Face: basicfont.Face7x13, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

// line draws a one-pixel line from (x0, y0) to (x1, y1).
func line(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	steps := max(abs(x1-x0), abs(y1-y0), 1)
	for i := 0; i <= steps; i++ {
		img.Set(x0+(x1-x0)*i/steps, y0+(y1-y0)*i/steps, c)
	}
}

func thick(img *image.RGBA, x0, y0, x1, y1 int, c color.Color) {
	for d := -1; d <= 1; d++ {
		line(img, x0, y0+d, x1, y1+d, c)
	}
}

func square(img *image.RGBA, x, y, r int, c color.Color) {
	draw.Draw(img, image.Rect(x-r, y-r, x+r+1, y+r+1), image.NewUniform(c), image.Point{}, draw.Src)
}

func abs(a int) int {
	if a < 0 {
		return -a
	}
	return a
}
