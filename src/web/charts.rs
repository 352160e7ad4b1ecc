//! Server-side SVG charts (plotters). Labels come from our Fluent files and
//! unit codes; plotters escapes the text it writes into the SVG.
use plotters::prelude::*;

/// Colours that stay distinguishable in print and for common colour blindness.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(230, 159, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(86, 180, 233),
    RGBColor(213, 94, 0),
    RGBColor(240, 228, 66),
    RGBColor(90, 90, 90),
];

const SIZE: (u32, u32) = (720, 320);

pub struct Series {
    pub name: String,
    /// One value per x position; None leaves a gap (no data that week).
    pub values: Vec<Option<f64>>,
}

/// A line chart over weeks. An empty series list draws the axes and a note.
pub fn lines(
    title: &str,
    x_labels: &[String],
    series: &[Series],
    y_desc: &str,
    empty_note: &str,
) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let _ = draw_lines(&root, title, x_labels, series, y_desc, empty_note);
        let _ = root.present();
    }
    svg
}

fn draw_lines(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    x_labels: &[String],
    series: &[Series],
    y_desc: &str,
    empty_note: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let n = x_labels.len().max(1);
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |a, b| a.max(*b));
    let y_top = if max <= 0.0 { 1.0 } else { max * 1.15 };
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(50)
        .build_cartesian_2d(0usize..n.saturating_sub(1).max(1), 0f64..y_top)?;
    chart
        .configure_mesh()
        .x_labels(n.min(12))
        .x_label_formatter(&|i| x_labels.get(*i).cloned().unwrap_or_default())
        .y_desc(y_desc)
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    let has_data = series
        .iter()
        .any(|s| s.values.iter().flatten().any(|v| *v > 0.0));
    if !has_data {
        root.draw(&Text::new(
            empty_note.to_string(),
            (SIZE.0 as i32 / 2 - 80, SIZE.1 as i32 / 2),
            ("sans-serif", 16)
                .into_font()
                .color(&RGBColor(120, 120, 120)),
        ))?;
        return Ok(());
    }
    for (i, s) in series.iter().enumerate() {
        let color = PALETTE[i % PALETTE.len()];
        let points: Vec<(usize, f64)> = s
            .values
            .iter()
            .enumerate()
            .filter_map(|(x, v)| v.map(|v| (x, v)))
            .collect();
        chart
            .draw_series(LineSeries::new(points.clone(), color.stroke_width(2)))?
            .label(s.name.clone())
            .legend(move |(x, y)| {
                PathElement::new(vec![(x, y), (x + 16, y)], color.stroke_width(3))
            });
        chart.draw_series(
            points
                .into_iter()
                .map(|p| Circle::new(p, 3, color.filled())),
        )?;
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(RGBColor(200, 200, 200))
        .draw()?;
    Ok(())
}

/// A horizontal bar chart: one bar per (label, count).
pub fn bars(title: &str, bars: &[(String, i64)], empty_note: &str) -> String {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        let _ = draw_bars(&root, title, bars, empty_note);
        let _ = root.present();
    }
    svg
}

fn draw_bars(
    root: &DrawingArea<SVGBackend<'_>, plotters::coord::Shift>,
    title: &str,
    bars: &[(String, i64)],
    empty_note: &str,
) -> Result<(), Box<dyn std::error::Error>> {
    root.fill(&WHITE)?;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
    let n = bars.len().max(1);
    let mut chart = ChartBuilder::on(root)
        .caption(title, ("sans-serif", 18))
        .margin(10)
        .x_label_area_size(30)
        .y_label_area_size(170)
        .build_cartesian_2d(0i64..(max + max / 6 + 1), (0..n).into_segmented())?;
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&|v| match v {
            SegmentValue::CenterOf(i) => bars.get(*i).map(|b| b.0.clone()).unwrap_or_default(),
            _ => String::new(),
        })
        .light_line_style(RGBColor(235, 235, 235))
        .draw()?;
    if bars.iter().all(|b| b.1 == 0) {
        root.draw(&Text::new(
            empty_note.to_string(),
            (SIZE.0 as i32 / 2 - 40, SIZE.1 as i32 / 2),
            ("sans-serif", 16)
                .into_font()
                .color(&RGBColor(120, 120, 120)),
        ))?;
        return Ok(());
    }
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
        let color = PALETTE[i % PALETTE.len()];
        Rectangle::new(
            [
                (0, SegmentValue::Exact(i)),
                (*v, SegmentValue::Exact(i + 1)),
            ],
            color.filled(),
        )
    }))?;
    chart.draw_series(bars.iter().enumerate().map(|(i, (_, v))| {
        Text::new(
            v.to_string(),
            (*v, SegmentValue::CenterOf(i)),
            ("sans-serif", 13).into_font(),
        )
    }))?;
    Ok(())
}

/// The median of some durations, or None when there are none.
pub fn median(mut v: Vec<i64>) -> Option<i64> {
    if v.is_empty() {
        return None;
    }
    v.sort_unstable();
    let m = v.len() / 2;
    Some(if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(vec![5, 1, 3]), Some(3));
        assert_eq!(median(vec![4, 1, 3, 2]), Some(2));
        assert_eq!(median(vec![]), None);
    }

    #[test]
    fn charts_are_svg_with_escaped_labels() {
        let svg = bars(
            "Trạng thái",
            &[("<b>new</b>".into(), 3), ("closed".into(), 1)],
            "no data",
        );
        assert!(svg.starts_with("<svg"));
        assert!(svg.contains("&lt;b&gt;new"));
        assert!(!svg.contains("<b>"));
        let svg = lines(
            "Tips",
            &["07-01".into(), "07-08".into()],
            &[Series {
                name: "dealing".into(),
                values: vec![Some(1.0), Some(4.0)],
            }],
            "n",
            "none",
        );
        assert!(svg.contains("<polyline") || svg.contains("<path"));
    }
}
