//! PDF records with the ISO 9001 header on every page.
//!
//! A deliberately small writer: A4 portrait pages with a bordered header table (institution,
//! title, code, version, date, "Página X de Y"), then titled sections of two-column form rows,
//! and an optional small footer. The bundled DejaVu Sans fonts are the only fonts used, so
//! Spanish text (accents, ñ, ¿, «») always renders the same on every machine.
//!
//! The document is laid out completely first (word wrapping with `ttf-parser` advances, page
//! breaks) and only then drawn with `krilla`, so the page count in the header is always right.

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{Path, PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

/// The header printed at the top of every page of a record.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordHeader {
    /// Who issues the record, e.g. "Universidad — Departamento de Marketing".
    pub institution: String,
    /// The record's title, e.g. "Brief para campañas de telemercadeo".
    pub title: String,
    /// The controlled-document code, e.g. "GF-MK-PR-01-01".
    pub code: String,
    /// The document version, e.g. "1".
    pub version: String,
    /// The date, already formatted for display, e.g. "29/11/2026".
    pub date: String,
}

/// A titled group of label/value rows.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Section {
    /// The section title, printed on a shaded bar.
    pub title: String,
    /// The rows as (label, value); a value may contain line breaks, and may be empty.
    pub rows: Vec<(String, String)>,
}

/// Renders the record: A4 portrait, margins ~2 cm. Every page has a header box (a bordered
/// table: institution and title on the left; on the right "Código: …", "Versión: …",
/// "Fecha: …", "Página X de Y"), then the sections: a shaded section-title bar, then each row as
/// a bordered two-column form row (label in bold on the left, ~35 % of the width; value on the
/// right, wrapped to the column width). Line breaks in values are kept; values too long for one
/// page continue on the next one, breaking between lines (the label and the section title are
/// repeated, marked as a continuation). An empty value prints as an empty box. `footer` (may be
/// empty) is printed small at the bottom of every page.
///
/// # Errors
/// Returns a message if the bundled fonts cannot be read or krilla fails to write the PDF.
pub fn record_pdf(
    header: &RecordHeader,
    sections: &[Section],
    footer: &str,
) -> Result<Vec<u8>, String> {
    let blocks: Vec<Block> = sections.iter().cloned().map(Block::Rows).collect();
    document_pdf(header, &blocks, footer)
}

/// One horizontal bar of a [`Block::Bars`] chart.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bar {
    /// What the bar counts, printed on its left.
    pub label: String,
    /// Its length (any unit; the longest bar of the chart fills the width).
    pub value: f64,
    /// The figure printed after the bar, e.g. "1.234 (12,5 %)".
    pub text: String,
}

/// A titled part of a record: form rows, a bar chart or a small table.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Label/value form rows (what [`record_pdf`] prints).
    Rows(Section),
    /// A horizontal bar chart: one line per bar, label, bar and figure.
    Bars {
        /// The chart's title bar.
        title: String,
        /// The bars, top to bottom.
        bars: Vec<Bar>,
    },
    /// A small table: a shaded head row, then one line per row (cells cut to their column,
    /// the head repeated on a new page).
    Table {
        /// The table's title bar.
        title: String,
        /// The column heads.
        head: Vec<String>,
        /// The rows (as many cells as heads).
        rows: Vec<Vec<String>>,
    },
}

/// A record made of blocks: form rows as [`record_pdf`], bar charts and small tables, with
/// the same header, "Página X de Y" and footer on every page.
///
/// # Errors
/// Returns a message if the bundled fonts cannot be read or krilla fails to write the PDF.
pub fn document_pdf(
    header: &RecordHeader,
    blocks: &[Block],
    footer: &str,
) -> Result<Vec<u8>, String> {
    let fonts = Fonts::load()?;
    let layout = lay_out(&fonts, header, blocks, footer);
    draw(&fonts, header, &layout)
}

// ---------------------------------------------------------------------------------------------
// Texts: the fixed words printed on every record, from the locale files (`[pdf]`).

fn label_code() -> String {
    crate::i18n::t("pdf.code")
}
fn label_version() -> String {
    crate::i18n::t("pdf.version")
}
fn label_date() -> String {
    crate::i18n::t("pdf.date")
}
fn label_page() -> String {
    crate::i18n::t("pdf.page")
}
fn label_continued() -> String {
    crate::i18n::t("pdf.continued")
}

/// "X de Y", the value that follows the page label.
fn page_of(page: usize, pages: usize) -> String {
    crate::i18n::tf("pdf.page_of", &[("page", &page), ("pages", &pages)])
}

// ---------------------------------------------------------------------------------------------
// Geometry (PDF points, origin at the top left, y growing downwards).

const PAGE_W: f32 = 595.276;
const PAGE_H: f32 = 841.89;
const MARGIN: f32 = 56.7; // 2 cm
const CONTENT_W: f32 = PAGE_W - 2.0 * MARGIN;

const HEADER_LEFT_FRACTION: f32 = 0.62;
const LABEL_FRACTION: f32 = 0.35;

const PAD_X: f32 = 5.0;
const PAD_Y: f32 = 3.5;
const HEADER_PAD: f32 = 6.0;
const HEADER_GAP: f32 = 16.0;
const SECTION_GAP: f32 = 12.0;
const FOOTER_GAP: f32 = 10.0;
/// Fewer value lines than this left at the bottom of a page: move the row to the next page.
const MIN_SPLIT_LINES: usize = 2;
/// At most this many lines for each header text, section title and the footer.
const MAX_BLOCK_LINES: usize = 4;
/// Safety margin for wrapping: krilla shapes with kerning, we measure without it.
const WRAP_SLACK: f32 = 1.5;

const INSTITUTION_SIZE: f32 = 9.5;
const TITLE_SIZE: f32 = 12.5;
const HEADER_RIGHT_SIZE: f32 = 8.5;
const BAR_SIZE: f32 = 10.0;
const BODY_SIZE: f32 = 9.5;
const FOOTER_SIZE: f32 = 7.5;
const LINE_FACTOR: f32 = 1.3;

const BORDER_WIDTH: f32 = 0.6;

fn line_height(size: f32) -> f32 {
    size * LINE_FACTOR
}

// ---------------------------------------------------------------------------------------------
// Fonts and measuring.

static REGULAR_TTF: &[u8] = crate::assets::DEJAVU_SANS;
static BOLD_TTF: &[u8] = crate::assets::DEJAVU_SANS_BOLD;

/// One bundled font: the krilla handle for drawing and a parsed face for measuring.
struct FontFace {
    font: Font,
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
}

impl FontFace {
    fn load(data: &'static [u8], name: &str) -> Result<Self, String> {
        let face = ttf_parser::Face::parse(data, 0)
            .map_err(|e| format!("no se pudo leer la fuente {name}: {e}"))?;
        let font = Font::new(data.into(), 0)
            .ok_or_else(|| format!("no se pudo cargar la fuente {name}"))?;
        let units_per_em = f32::from(face.units_per_em().max(1));
        Ok(Self {
            font,
            face,
            units_per_em,
        })
    }

    /// The advance of one character at `size`, without kerning.
    fn char_width(&self, c: char, size: f32) -> f32 {
        let glyph = self.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        let advance = self.face.glyph_hor_advance(glyph).unwrap_or(0);
        f32::from(advance) * size / self.units_per_em
    }

    /// The advance of a string at `size`, without kerning.
    fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.char_width(c, size)).sum()
    }

    /// Distance from the top of a line of height `line_height(size)` to its baseline.
    fn baseline(&self, size: f32) -> f32 {
        let ascent = f32::from(self.face.ascender()) / self.units_per_em * size;
        let descent = -f32::from(self.face.descender()) / self.units_per_em * size;
        let leading = (line_height(size) - ascent - descent).max(0.0);
        leading / 2.0 + ascent
    }
}

struct Fonts {
    regular: FontFace,
    bold: FontFace,
}

impl Fonts {
    fn load() -> Result<Self, String> {
        Ok(Self {
            regular: FontFace::load(REGULAR_TTF, "DejaVuSans")?,
            bold: FontFace::load(BOLD_TTF, "DejaVuSans-Bold")?,
        })
    }
}

/// Cleans text for drawing: unifies line breaks, turns tabs into spaces, drops other control
/// characters and trailing whitespace.
fn clean(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let cleaned: String = unified
        .chars()
        .filter_map(|c| match c {
            '\n' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect();
    cleaned.trim_end().to_string()
}

/// Wraps `text` into lines: the first line may be at most `first_width` wide, the others
/// `width`. Line breaks in the text are kept (an empty paragraph gives an empty line); words
/// longer than a line are broken between characters. Empty text gives no lines.
fn wrap(text: &str, font: &FontFace, size: f32, first_width: f32, width: f32) -> Vec<String> {
    let text = clean(text);
    let mut lines: Vec<String> = Vec::new();
    if text.is_empty() {
        return lines;
    }
    let space = font.width(" ", size);
    let avail = |lines: &Vec<String>| {
        let w = if lines.is_empty() { first_width } else { width };
        (w - WRAP_SLACK).max(size)
    };
    for paragraph in text.split('\n') {
        let mut current = String::new();
        let mut current_w = 0.0_f32;
        for word in paragraph.split(' ').filter(|w| !w.is_empty()) {
            let word_w = font.width(word, size);
            if !current.is_empty() {
                if current_w + space + word_w <= avail(&lines) {
                    current.push(' ');
                    current.push_str(word);
                    current_w += space + word_w;
                    continue;
                }
                lines.push(std::mem::take(&mut current));
                current_w = 0.0;
            }
            if word_w <= avail(&lines) {
                current.push_str(word);
                current_w = word_w;
                continue;
            }
            // A word wider than the line: break it between characters.
            for c in word.chars() {
                let c_w = font.char_width(c, size);
                if !current.is_empty() && current_w + c_w > avail(&lines) {
                    lines.push(std::mem::take(&mut current));
                    current_w = 0.0;
                }
                current.push(c);
                current_w += c_w;
            }
        }
        lines.push(current);
    }
    lines
}

/// Keeps at most `max` lines, ending the last kept one with "…" if any were dropped, so that a
/// runaway header, title or footer can never push the body off the page.
fn limit_lines(
    mut lines: Vec<String>,
    max: usize,
    font: &FontFace,
    size: f32,
    width: f32,
) -> Vec<String> {
    if lines.len() <= max {
        return lines;
    }
    lines.truncate(max);
    if let Some(last) = lines.last_mut() {
        let ellipsis = font.width("…", size);
        while !last.is_empty() && font.width(last, size) + ellipsis > width - WRAP_SLACK {
            last.pop();
        }
        let trimmed = last.trim_end().len();
        last.truncate(trimmed);
        last.push('…');
    }
    lines
}

// ---------------------------------------------------------------------------------------------
// Layout.

/// One row of the right-hand side of the header: a bold label followed by a wrapped value.
struct HeaderRow {
    label: String,
    is_page: bool,
    lines: Vec<String>,
    height: f32,
}

struct HeaderLayout {
    institution: Vec<String>,
    title: Vec<String>,
    rows: Vec<HeaderRow>,
    height: f32,
}

/// Something drawn in the body of a page, at a vertical position.
enum Item {
    /// A shaded section-title bar.
    Bar {
        y: f32,
        height: f32,
        lines: Vec<String>,
    },
    /// A bordered label/value form row (or a piece of one, across a page break).
    Row {
        y: f32,
        height: f32,
        label: Vec<String>,
        value: Vec<String>,
    },
    /// One bar of a chart: its label, the filled part (0..=1 of the bar area), its figure.
    BarLine {
        y: f32,
        label: String,
        fraction: f32,
        text: String,
    },
    /// One line of a small table (the head shaded).
    TableLine {
        y: f32,
        cells: Vec<String>,
        head: bool,
    },
}

struct Layout {
    header: HeaderLayout,
    pages: Vec<Vec<Item>>,
    footer: Vec<String>,
}

fn header_left_width() -> f32 {
    CONTENT_W * HEADER_LEFT_FRACTION
}

fn header_right_width() -> f32 {
    CONTENT_W - header_left_width()
}

fn label_width() -> f32 {
    CONTENT_W * LABEL_FRACTION
}

fn value_width() -> f32 {
    CONTENT_W - label_width()
}

/// Wraps a header row value after its bold label (`label` plus a space).
fn header_row_lines(fonts: &Fonts, label: &str, value: &str) -> Vec<String> {
    let inner = header_right_width() - 2.0 * PAD_X;
    let prefix =
        fonts.bold.width(label, HEADER_RIGHT_SIZE) + fonts.regular.width(" ", HEADER_RIGHT_SIZE);
    let lines = wrap(
        value,
        &fonts.regular,
        HEADER_RIGHT_SIZE,
        inner - prefix,
        inner,
    );
    let mut lines = limit_lines(
        lines,
        MAX_BLOCK_LINES,
        &fonts.regular,
        HEADER_RIGHT_SIZE,
        inner,
    );
    if lines.is_empty() {
        lines.push(String::new());
    }
    lines
}

fn lay_out_header(fonts: &Fonts, header: &RecordHeader) -> HeaderLayout {
    let inner = header_left_width() - 2.0 * HEADER_PAD;
    let institution = wrap(
        &header.institution,
        &fonts.bold,
        INSTITUTION_SIZE,
        inner,
        inner,
    );
    let institution = limit_lines(
        institution,
        MAX_BLOCK_LINES,
        &fonts.bold,
        INSTITUTION_SIZE,
        inner,
    );
    let title = wrap(&header.title, &fonts.bold, TITLE_SIZE, inner, inner);
    let title = limit_lines(title, MAX_BLOCK_LINES, &fonts.bold, TITLE_SIZE, inner);
    let gap = if institution.is_empty() || title.is_empty() {
        0.0
    } else {
        4.0
    };
    let left_height = 2.0 * HEADER_PAD
        + institution.len() as f32 * line_height(INSTITUTION_SIZE)
        + gap
        + title.len() as f32 * line_height(TITLE_SIZE);

    // The page row is measured with a wide placeholder; the real "X de Y" is never wider.
    let values: [(String, String); 4] = [
        (label_code(), header.code.clone()),
        (label_version(), header.version.clone()),
        (label_date(), header.date.clone()),
        (label_page(), page_of(8888, 8888)),
    ];
    let mut rows: Vec<HeaderRow> = values
        .into_iter()
        .enumerate()
        .map(|(i, (label, value))| {
            let lines = header_row_lines(fonts, &label, &value);
            let height = lines.len() as f32 * line_height(HEADER_RIGHT_SIZE) + 2.0 * PAD_Y;
            HeaderRow {
                label,
                is_page: i == 3,
                lines,
                height,
            }
        })
        .collect();
    let right_height: f32 = rows.iter().map(|r| r.height).sum();
    let height = left_height.max(right_height);
    if right_height < height {
        let extra = (height - right_height) / rows.len() as f32;
        for row in &mut rows {
            row.height += extra;
        }
    }
    HeaderLayout {
        institution,
        title,
        rows,
        height,
    }
}

fn row_height(lines: usize) -> f32 {
    lines.max(1) as f32 * line_height(BODY_SIZE) + 2.0 * PAD_Y
}

fn bar_lines(fonts: &Fonts, title: &str) -> Vec<String> {
    let inner = CONTENT_W - 2.0 * PAD_X;
    let lines = wrap(title, &fonts.bold, BAR_SIZE, inner, inner);
    limit_lines(lines, MAX_BLOCK_LINES, &fonts.bold, BAR_SIZE, inner)
}

fn bar_height(lines: &[String]) -> f32 {
    lines.len().max(1) as f32 * line_height(BAR_SIZE) + 2.0 * PAD_Y
}

/// Appends " (continuación)" to a label or title.
fn continued(text: &str) -> String {
    let text = clean(text);
    if text.is_empty() {
        label_continued()
    } else {
        format!("{text} {}", label_continued())
    }
}

/// Pages being filled, top to bottom.
struct Pager {
    pages: Vec<Vec<Item>>,
    y: f32,
    top: f32,
    bottom: f32,
    /// Whether the current page holds a form row yet (a page of only bars is "fresh").
    has_rows: bool,
}

impl Pager {
    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = self.top;
        self.has_rows = false;
    }

    fn push(&mut self, item: Item) {
        let height = match &item {
            Item::Bar { height, .. } => *height,
            Item::Row { height, .. } => {
                self.has_rows = true;
                *height
            }
            Item::BarLine { .. } | Item::TableLine { .. } => {
                self.has_rows = true;
                chart_line_height()
            }
        };
        if let Some(page) = self.pages.last_mut() {
            page.push(item);
        }
        self.y += height;
    }

    fn push_bar(&mut self, lines: Vec<String>) {
        let height = bar_height(&lines);
        let y = self.y;
        self.push(Item::Bar { y, height, lines });
    }

    fn room(&self) -> f32 {
        self.bottom - self.y
    }
}

/// The height of one bar or table line.
fn chart_line_height() -> f32 {
    line_height(BODY_SIZE) + 2.0 * PAD_Y
}

/// Cuts `text` to one line of `width` at `size`, ending with "…" when cut.
fn one_line(text: &str, font: &FontFace, size: f32, width: f32) -> String {
    let lines = wrap(text, font, size, width, width);
    let joined = lines.len() > 1;
    let first = lines.into_iter().next().unwrap_or_default();
    if joined {
        limit_lines(vec![first, String::new()], 1, font, size, width)
            .pop()
            .unwrap_or_default()
    } else {
        first
    }
}

/// The widths of a table's columns: the first wider than the others (twice as wide in a
/// table of up to four columns, one and a half times in a wider one).
fn table_widths(columns: usize) -> Vec<f32> {
    let n = columns.max(1);
    let first = if n > 4 { 1.5 } else { 2.0 };
    let unit = CONTENT_W / (n as f32 - 1.0 + first);
    (0..n)
        .map(|i| if i == 0 { first * unit } else { unit })
        .collect()
}

/// The width of a chart's label column; the bar and its figure share the rest.
fn bar_label_width() -> f32 {
    CONTENT_W * LABEL_FRACTION
}
const BAR_TEXT_W: f32 = 95.0;

/// Lays out a chart or a table block (form rows are laid out by [`lay_out`]).
fn lay_out_chart(fonts: &Fonts, pager: &mut Pager, block: &Block) {
    let (title, lines): (&str, Vec<Item>) = match block {
        Block::Rows(_) => return,
        Block::Bars { title, bars } => {
            let max = bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
            let inner = bar_label_width() - 2.0 * PAD_X;
            let lines = bars
                .iter()
                .map(|b| Item::BarLine {
                    y: 0.0,
                    label: one_line(&b.label, &fonts.regular, BODY_SIZE, inner),
                    fraction: if max > 0.0 {
                        (b.value / max).clamp(0.0, 1.0) as f32
                    } else {
                        0.0
                    },
                    text: one_line(&b.text, &fonts.regular, BODY_SIZE, BAR_TEXT_W - PAD_X),
                })
                .collect();
            (title, lines)
        }
        Block::Table { title, head, rows } => {
            let widths = table_widths(head.len());
            let cut = |cells: &[String], font: &FontFace| -> Vec<String> {
                cells
                    .iter()
                    .zip(&widths)
                    .map(|(c, w)| one_line(c, font, BODY_SIZE, w - 2.0 * PAD_X))
                    .collect()
            };
            let mut lines = vec![Item::TableLine {
                y: 0.0,
                cells: cut(head, &fonts.bold),
                head: true,
            }];
            lines.extend(rows.iter().map(|r| Item::TableLine {
                y: 0.0,
                cells: cut(r, &fonts.regular),
                head: false,
            }));
            (title, lines)
        }
    };
    let title_lines = bar_lines(fonts, title);
    let title_cont = bar_lines(fonts, &continued(title));
    let head = match lines.first() {
        Some(Item::TableLine { head: true, .. }) => lines.first().map(|l| match l {
            Item::TableLine { cells, .. } => cells.clone(),
            _ => Vec::new(),
        }),
        _ => None,
    };
    let lh = chart_line_height();
    if pager.y > pager.top {
        pager.y += SECTION_GAP;
    }
    if bar_height(&title_lines) + 2.0 * lh > pager.room() && pager.y > pager.top {
        pager.new_page();
    }
    pager.push_bar(title_lines);
    for (i, mut item) in lines.into_iter().enumerate() {
        if lh > pager.room() {
            pager.new_page();
            pager.push_bar(title_cont.clone());
            if let (Some(cells), true) = (&head, i > 0) {
                let y = pager.y;
                pager.push(Item::TableLine {
                    y,
                    cells: cells.clone(),
                    head: true,
                });
            }
        }
        match &mut item {
            Item::BarLine { y, .. } | Item::TableLine { y, .. } => *y = pager.y,
            _ => {}
        }
        pager.push(item);
    }
}

fn lay_out(fonts: &Fonts, header: &RecordHeader, blocks: &[Block], footer: &str) -> Layout {
    let header_layout = lay_out_header(fonts, header);
    let footer_lines = wrap(footer, &fonts.regular, FOOTER_SIZE, CONTENT_W, CONTENT_W);
    let footer_lines = limit_lines(
        footer_lines,
        MAX_BLOCK_LINES,
        &fonts.regular,
        FOOTER_SIZE,
        CONTENT_W,
    );
    let footer_height = if footer_lines.is_empty() {
        0.0
    } else {
        footer_lines.len() as f32 * line_height(FOOTER_SIZE) + FOOTER_GAP
    };
    let top = MARGIN + header_layout.height + HEADER_GAP;
    let bottom = PAGE_H - MARGIN - footer_height;
    let mut pager = Pager {
        pages: vec![Vec::new()],
        y: top,
        top,
        bottom,
        has_rows: false,
    };

    let label_inner = label_width() - 2.0 * PAD_X;
    let value_inner = value_width() - 2.0 * PAD_X;
    let body_lh = line_height(BODY_SIZE);

    for (index, block) in blocks.iter().enumerate() {
        let Block::Rows(section) = block else {
            lay_out_chart(fonts, &mut pager, block);
            continue;
        };
        let title = bar_lines(fonts, &section.title);
        let title_cont = bar_lines(fonts, &continued(&section.title));
        let cont_bar_height = bar_height(&title_cont);
        if index > 0 && pager.y > pager.top {
            pager.y += SECTION_GAP;
        }
        // Keep the title bar together with (the start of) the first row.
        let first_row = section.rows.first().map_or(0.0, |(label, value)| {
            let label_lines = wrap(label, &fonts.bold, BODY_SIZE, label_inner, label_inner).len();
            let value_lines =
                wrap(value, &fonts.regular, BODY_SIZE, value_inner, value_inner).len();
            row_height(label_lines.max(value_lines).min(MIN_SPLIT_LINES))
        });
        if bar_height(&title) + first_row > pager.room() && pager.y > pager.top {
            pager.new_page();
        }
        pager.push_bar(title);

        for (label, value) in &section.rows {
            let mut label_lines = wrap(label, &fonts.bold, BODY_SIZE, label_inner, label_inner);
            let value_lines = wrap(value, &fonts.regular, BODY_SIZE, value_inner, value_inner);
            let (mut li, mut vi) = (0_usize, 0_usize);
            loop {
                let rest = (label_lines.len() - li).max(value_lines.len() - vi);
                let height = row_height(rest);
                if height <= pager.room() {
                    let y = pager.y;
                    pager.push(Item::Row {
                        y,
                        height,
                        label: label_lines[li..].to_vec(),
                        value: value_lines[vi..].to_vec(),
                    });
                    break;
                }
                let fits_on_fresh_page = height <= pager.bottom - pager.top - cont_bar_height;
                let room_lines = ((pager.room() - 2.0 * PAD_Y) / body_lh).floor().max(0.0) as usize;
                let take = if pager.has_rows && (fits_on_fresh_page || room_lines < MIN_SPLIT_LINES)
                {
                    0
                } else {
                    room_lines.max(1)
                };
                if take > 0 {
                    let label_end = (li + take).min(label_lines.len());
                    let value_end = (vi + take).min(value_lines.len());
                    let y = pager.y;
                    pager.push(Item::Row {
                        y,
                        height: row_height(take),
                        label: label_lines[li..label_end].to_vec(),
                        value: value_lines[vi..value_end].to_vec(),
                    });
                    li = label_end;
                    vi = value_end;
                    // Don't start the continuation with blank lines.
                    while vi < value_lines.len() && value_lines[vi].trim().is_empty() {
                        vi += 1;
                    }
                    if vi >= value_lines.len() && li >= label_lines.len() {
                        break;
                    }
                    if li >= label_lines.len() {
                        label_lines = wrap(
                            &continued(label),
                            &fonts.bold,
                            BODY_SIZE,
                            label_inner,
                            label_inner,
                        );
                        li = 0;
                    }
                }
                pager.new_page();
                pager.push_bar(title_cont.clone());
            }
        }
    }

    Layout {
        header: header_layout,
        pages: pager.pages,
        footer: footer_lines,
    }
}

// ---------------------------------------------------------------------------------------------
// Drawing.

fn border_color() -> rgb::Color {
    rgb::Color::new(64, 64, 64)
}

fn text_color() -> rgb::Color {
    rgb::Color::new(0, 0, 0)
}

fn bar_shade() -> rgb::Color {
    rgb::Color::new(217, 217, 217)
}

fn label_shade() -> rgb::Color {
    rgb::Color::new(243, 243, 243)
}

fn footer_color() -> rgb::Color {
    rgb::Color::new(90, 90, 90)
}

fn solid(color: rgb::Color) -> Fill {
    Fill {
        paint: color.into(),
        ..Fill::default()
    }
}

fn rect_path(x: f32, y: f32, w: f32, h: f32) -> Option<Path> {
    let mut builder = PathBuilder::new();
    builder.push_rect(Rect::from_xywh(x, y, w, h)?);
    builder.finish()
}

/// Draws a rectangle, optionally filled, with the border stroke.
fn draw_box(surface: &mut Surface<'_>, x: f32, y: f32, w: f32, h: f32, shade: Option<rgb::Color>) {
    if let Some(path) = rect_path(x, y, w, h) {
        surface.set_fill(shade.map(solid));
        surface.set_stroke(Some(Stroke {
            paint: border_color().into(),
            width: BORDER_WIDTH,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
    }
}

fn draw_rule(surface: &mut Surface<'_>, x1: f32, x2: f32, y: f32, color: rgb::Color) {
    let mut builder = PathBuilder::new();
    builder.move_to(x1, y);
    builder.line_to(x2, y);
    if let Some(path) = builder.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke {
            paint: color.into(),
            width: 0.4,
            ..Stroke::default()
        }));
        surface.draw_path(&path);
    }
}

/// Draws one line of text with its top-left corner at (`x`, `top`).
fn draw_line(
    surface: &mut Surface<'_>,
    font: &FontFace,
    size: f32,
    color: rgb::Color,
    x: f32,
    top: f32,
    text: &str,
) {
    if text.is_empty() {
        return;
    }
    surface.set_stroke(None);
    surface.set_fill(Some(solid(color)));
    surface.draw_text(
        Point::from_xy(x, top + font.baseline(size)),
        font.font.clone(),
        size,
        text,
        false,
        TextDirection::LeftToRight,
    );
}

/// Draws lines of text one under the other, starting at (`x`, `top`).
fn draw_lines(
    surface: &mut Surface<'_>,
    font: &FontFace,
    size: f32,
    x: f32,
    top: f32,
    lines: &[String],
) {
    for (i, line) in lines.iter().enumerate() {
        let line_top = top + i as f32 * line_height(size);
        if i + 1 < lines.len() && !line.is_empty() {
            // An invisible trailing space keeps words apart when text is extracted or copied.
            let spaced = format!("{line} ");
            draw_line(surface, font, size, text_color(), x, line_top, &spaced);
        } else {
            draw_line(surface, font, size, text_color(), x, line_top, line);
        }
    }
}

fn draw_header(
    surface: &mut Surface<'_>,
    fonts: &Fonts,
    layout: &HeaderLayout,
    page: usize,
    pages: usize,
) {
    let left_w = header_left_width();
    let right_x = MARGIN + left_w;
    let right_w = header_right_width();
    let top = MARGIN;

    // Left: institution and title, vertically centred.
    draw_box(surface, MARGIN, top, left_w, layout.height, None);
    let gap = if layout.institution.is_empty() || layout.title.is_empty() {
        0.0
    } else {
        4.0
    };
    let inst_h = layout.institution.len() as f32 * line_height(INSTITUTION_SIZE);
    let title_h = layout.title.len() as f32 * line_height(TITLE_SIZE);
    let text_top = top + (layout.height - inst_h - gap - title_h) / 2.0;
    let x = MARGIN + HEADER_PAD;
    draw_lines(
        surface,
        &fonts.bold,
        INSTITUTION_SIZE,
        x,
        text_top,
        &layout.institution,
    );
    draw_lines(
        surface,
        &fonts.bold,
        TITLE_SIZE,
        x,
        text_top + inst_h + gap,
        &layout.title,
    );

    // Right: code, version, date and page, one bordered cell each.
    let page_value = page_of(page, pages);
    let mut y = top;
    for row in &layout.rows {
        draw_box(surface, right_x, y, right_w, row.height, None);
        let page_lines;
        let lines = if row.is_page {
            page_lines = header_row_lines(fonts, &row.label, &page_value);
            &page_lines
        } else {
            &row.lines
        };
        let lh = line_height(HEADER_RIGHT_SIZE);
        let text_top = y + (row.height - lines.len() as f32 * lh) / 2.0;
        let x = right_x + PAD_X;
        draw_line(
            surface,
            &fonts.bold,
            HEADER_RIGHT_SIZE,
            text_color(),
            x,
            text_top,
            &row.label,
        );
        let prefix = fonts.bold.width(&row.label, HEADER_RIGHT_SIZE)
            + fonts.regular.width(" ", HEADER_RIGHT_SIZE);
        for (i, line) in lines.iter().enumerate() {
            let line_x = if i == 0 { x + prefix } else { x };
            let line_top = text_top + i as f32 * lh;
            let text = if i + 1 < lines.len() {
                format!("{line} ")
            } else {
                line.clone()
            };
            draw_line(
                surface,
                &fonts.regular,
                HEADER_RIGHT_SIZE,
                text_color(),
                line_x,
                line_top,
                &text,
            );
        }
        y += row.height;
    }
}

fn draw_item(surface: &mut Surface<'_>, fonts: &Fonts, item: &Item) {
    match item {
        Item::Bar { y, height, lines } => {
            draw_box(surface, MARGIN, *y, CONTENT_W, *height, Some(bar_shade()));
            draw_lines(
                surface,
                &fonts.bold,
                BAR_SIZE,
                MARGIN + PAD_X,
                y + PAD_Y,
                lines,
            );
        }
        Item::Row {
            y,
            height,
            label,
            value,
        } => {
            let label_w = label_width();
            draw_box(surface, MARGIN, *y, label_w, *height, Some(label_shade()));
            draw_box(surface, MARGIN + label_w, *y, value_width(), *height, None);
            draw_lines(
                surface,
                &fonts.bold,
                BODY_SIZE,
                MARGIN + PAD_X,
                y + PAD_Y,
                label,
            );
            let value_x = MARGIN + label_w + PAD_X;
            draw_lines(
                surface,
                &fonts.regular,
                BODY_SIZE,
                value_x,
                y + PAD_Y,
                value,
            );
        }
        Item::BarLine { .. } | Item::TableLine { .. } => draw_chart_item(surface, fonts, item),
    }
}

fn bar_fill() -> rgb::Color {
    rgb::Color::new(46, 117, 182)
}

fn draw_chart_item(surface: &mut Surface<'_>, fonts: &Fonts, item: &Item) {
    let h = chart_line_height();
    match item {
        Item::BarLine {
            y,
            label,
            fraction,
            text,
        } => {
            draw_line(
                surface,
                &fonts.regular,
                BODY_SIZE,
                text_color(),
                MARGIN + PAD_X,
                y + PAD_Y,
                label,
            );
            let x = MARGIN + bar_label_width();
            let area = CONTENT_W - bar_label_width() - BAR_TEXT_W;
            let w = area * fraction;
            if w > 0.0
                && let Some(path) = rect_path(x, y + 2.0, w, h - 4.0)
            {
                surface.set_stroke(None);
                surface.set_fill(Some(solid(bar_fill())));
                surface.draw_path(&path);
            }
            draw_line(
                surface,
                &fonts.regular,
                BODY_SIZE,
                text_color(),
                x + w + PAD_X,
                y + PAD_Y,
                text,
            );
        }
        Item::TableLine { y, cells, head } => {
            let widths = table_widths(cells.len());
            let mut x = MARGIN;
            for (cell, w) in cells.iter().zip(widths) {
                let shade = if *head { Some(label_shade()) } else { None };
                draw_box(surface, x, *y, w, h, shade);
                let font = if *head { &fonts.bold } else { &fonts.regular };
                // Cells after the first are numbers: right-aligned.
                let tx = if x > MARGIN {
                    x + w - PAD_X - font.width(cell, BODY_SIZE)
                } else {
                    x + PAD_X
                };
                draw_line(
                    surface,
                    font,
                    BODY_SIZE,
                    text_color(),
                    tx,
                    y + PAD_Y,
                    &format!("{cell} "),
                );
                x += w;
            }
        }
        _ => {}
    }
}

fn draw_footer(surface: &mut Surface<'_>, fonts: &Fonts, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    let lh = line_height(FOOTER_SIZE);
    let top = PAGE_H - MARGIN - lines.len() as f32 * lh;
    draw_rule(
        surface,
        MARGIN,
        MARGIN + CONTENT_W,
        top - FOOTER_GAP / 2.0,
        footer_color(),
    );
    for (i, line) in lines.iter().enumerate() {
        let w = fonts.regular.width(line, FOOTER_SIZE);
        let x = MARGIN + ((CONTENT_W - w) / 2.0).max(0.0);
        let line_top = top + i as f32 * lh;
        draw_line(
            surface,
            &fonts.regular,
            FOOTER_SIZE,
            footer_color(),
            x,
            line_top,
            line,
        );
    }
}

fn draw(fonts: &Fonts, header: &RecordHeader, layout: &Layout) -> Result<Vec<u8>, String> {
    let settings = PageSettings::from_wh(PAGE_W, PAGE_H)
        .ok_or_else(|| "tamaño de página no válido".to_string())?;
    let mut document = Document::new();
    let mut keywords = Vec::new();
    if !header.code.trim().is_empty() {
        keywords.push(header.code.trim().to_string());
    }
    document.set_metadata(
        Metadata::new()
            .title(header.title.clone())
            .language("es".to_string())
            .keywords(keywords)
            .creator("telemercadeo".to_string()),
    );
    let pages = layout.pages.len();
    for (index, items) in layout.pages.iter().enumerate() {
        let mut page = document.start_page_with(settings.clone());
        let mut surface = page.surface();
        draw_header(&mut surface, fonts, &layout.header, index + 1, pages);
        for item in items {
            draw_item(&mut surface, fonts, item);
        }
        draw_footer(&mut surface, fonts, &layout.footer);
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| format!("no se pudo generar el PDF: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> RecordHeader {
        RecordHeader {
            institution: "Universidad — Departamento de Marketing".to_string(),
            title: "Brief para campañas de telemercadeo".to_string(),
            code: "GF-MK-PR-01-01".to_string(),
            version: "1".to_string(),
            date: "29/11/2026".to_string(),
        }
    }

    fn long_value() -> String {
        let mut text = String::new();
        for i in 1..=140 {
            text.push_str(&format!("Renglón{i:03} «año» con ñandú y acción"));
            if i % 7 == 0 {
                text.push_str(
                    " — un párrafo más largo que debe partirse en varias líneas porque no cabe en \
                     el ancho de la columna de valores del formulario",
                );
            }
            text.push('\n');
            if i % 20 == 0 {
                text.push('\n');
            }
        }
        text.push_str("Últimas palabras del texto largo");
        text
    }

    fn sections() -> Vec<Section> {
        vec![
            Section {
                title: "1. Datos del solicitante".to_string(),
                rows: vec![
                    (
                        "Dependencia".to_string(),
                        "Dirección de Posgrados".to_string(),
                    ),
                    (
                        "Teléfono".to_string(),
                        "(601) 555 0123, ext. 45".to_string(),
                    ),
                    (
                        "¿Cuántos?".to_string(),
                        "¿Cuántos? 1.234 contactos".to_string(),
                    ),
                    ("Observaciones".to_string(), String::new()),
                    (
                        "Objetivo de la campaña".to_string(),
                        "Informar a los egresados sobre la nueva oferta de especializaciones y \
                         maestrías, resolver dudas frecuentes y agendar una cita con el asesor."
                            .to_string(),
                    ),
                ],
            },
            Section {
                title: "2. Guion y público".to_string(),
                rows: vec![
                    ("Guion".to_string(), long_value()),
                    ("Aprobó".to_string(), "Jefe de Mercadeo".to_string()),
                ],
            },
        ]
    }

    const FOOTER: &str =
        "Documento controlado: GF-MK-PR-01. Si está impreso, verifique la versión vigente.";

    #[test]
    fn long_record_has_right_page_count_and_keeps_all_text() {
        let bytes = record_pdf(&header(), &sections(), FOOTER).expect("pdf");
        let path = std::env::temp_dir().join("telemercadeo-record-test.pdf");
        std::fs::write(&path, &bytes).expect("write pdf");
        eprintln!("PDF written to {}", path.display());

        let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("pages");
        let n = pages.len();
        assert!(n >= 3, "expected at least 3 pages, got {n}");
        for (i, page) in pages.iter().enumerate() {
            assert!(
                page.contains("GF-MK-PR-01-01"),
                "code missing on page {}",
                i + 1
            );
            let label = format!("Página {} de {n}", i + 1);
            assert!(page.contains(&label), "{label:?} missing on page {}", i + 1);
            assert!(
                page.contains("Documento controlado"),
                "footer missing on page {}",
                i + 1
            );
        }

        let text = pdf_extract::extract_text_from_mem(&bytes).expect("text");
        assert_eq!(text.matches("GF-MK-PR-01-01").count(), n);
        for i in 1..=n {
            assert!(text.contains(&format!("Página {i} de {n}")));
        }
        for expected in [
            "Universidad — Departamento de Marketing",
            "Brief para campañas de telemercadeo",
            "Código:",
            "Versión:",
            "Fecha:",
            "29/11/2026",
            "Teléfono",
            "Dirección de Posgrados",
            "¿Cuántos?",
            "«año»",
            "ñandú",
            "1. Datos del solicitante",
            "2. Guion y público",
            "(continuación)",
            "Jefe de Mercadeo",
            "Últimas palabras del texto largo",
        ] {
            assert!(text.contains(expected), "missing {expected:?}");
        }
        // Nothing lost at the page breaks: every numbered line is there, once.
        for i in 1..=140 {
            let marker = format!("Renglón{i:03}");
            assert_eq!(
                text.matches(&marker).count(),
                1,
                "{marker} not exactly once"
            );
        }
    }

    #[test]
    fn empty_record_is_one_valid_page() {
        let bytes = record_pdf(&header(), &[], "").expect("pdf");
        assert!(bytes.starts_with(b"%PDF-"));
        let pages = pdf_extract::extract_text_from_mem_by_pages(&bytes).expect("pages");
        assert_eq!(pages.len(), 1);
        assert!(pages[0].contains("GF-MK-PR-01-01"));
        assert!(pages[0].contains("Página 1 de 1"));
    }

    #[test]
    fn wrap_keeps_breaks_and_splits_long_words() {
        let fonts = Fonts::load().expect("fonts");
        let lines = wrap("uno dos\n\ntres", &fonts.regular, 10.0, 500.0, 500.0);
        assert_eq!(lines, vec!["uno dos", "", "tres"]);
        assert!(wrap("  \n ", &fonts.regular, 10.0, 100.0, 100.0).is_empty());
        let long = "x".repeat(200);
        let lines = wrap(&long, &fonts.regular, 10.0, 100.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), long);
        for line in &lines {
            assert!(fonts.regular.width(line, 10.0) <= 100.0);
        }
    }

    fn blocks(sections: Vec<Section>) -> Vec<Block> {
        sections.into_iter().map(Block::Rows).collect()
    }

    #[test]
    fn a_table_repeats_its_head_on_a_new_page_and_bars_scale_to_the_longest() {
        let fonts = Fonts::load().expect("fonts");
        let table = Block::Table {
            title: "Tabla".to_string(),
            head: vec!["Nombre".into(), "Cifra".into()],
            rows: (0..120)
                .map(|i| vec![format!("Fila {i}"), i.to_string()])
                .collect(),
        };
        let layout = lay_out(&fonts, &header(), &[table], "");
        assert!(layout.pages.len() >= 2);
        for page in &layout.pages {
            let heads = page
                .iter()
                .filter(|i| matches!(i, Item::TableLine { head: true, .. }))
                .count();
            assert_eq!(heads, 1, "one head a page");
        }
        let bars = Block::Bars {
            title: "Barras".to_string(),
            bars: vec![
                Bar {
                    label: "a".into(),
                    value: 10.0,
                    text: "10".into(),
                },
                Bar {
                    label: "b".into(),
                    value: 5.0,
                    text: "5".into(),
                },
            ],
        };
        let layout = lay_out(&fonts, &header(), &[bars], "");
        let fractions: Vec<f32> = layout.pages[0]
            .iter()
            .filter_map(|i| match i {
                Item::BarLine { fraction, .. } => Some(*fraction),
                _ => None,
            })
            .collect();
        assert_eq!(fractions, vec![1.0, 0.5]);
    }

    #[test]
    fn runaway_header_and_footer_are_cut_short() {
        let mut big = header();
        big.title = "Título muy largo ".repeat(80);
        big.code = "GF-".repeat(100);
        let layout = lay_out(
            &Fonts::load().expect("fonts"),
            &big,
            &blocks(sections()),
            &"pie ".repeat(500),
        );
        assert_eq!(layout.header.title.len(), MAX_BLOCK_LINES);
        assert!(layout.header.title[MAX_BLOCK_LINES - 1].ends_with('…'));
        assert_eq!(layout.footer.len(), MAX_BLOCK_LINES);
        assert!(layout.header.height < PAGE_H / 3.0);
        assert!(record_pdf(&big, &sections(), "").is_ok());
    }

    #[test]
    fn every_row_stays_inside_the_body() {
        let fonts = Fonts::load().expect("fonts");
        let mut all = sections();
        all.push(Section {
            title: "3. Muy largo".to_string(),
            rows: vec![("Etiqueta larguísima ".repeat(60), "corto".to_string())],
        });
        let mut all = blocks(all);
        // Charts and tables long enough to break across pages.
        all.push(Block::Bars {
            title: "4. Barras".to_string(),
            bars: (0..90)
                .map(|i| Bar {
                    label: format!("Barra {i} con una etiqueta larga que no cabe en la columna"),
                    value: f64::from(i),
                    text: format!("{i}"),
                })
                .collect(),
        });
        all.push(Block::Table {
            title: "5. Tabla".to_string(),
            head: vec!["Nombre".into(), "A".into(), "B".into()],
            rows: (0..90)
                .map(|i| vec![format!("Fila {i}"), i.to_string(), "x".into()])
                .collect(),
        });
        let layout = lay_out(&fonts, &header(), &all, FOOTER);
        let top = MARGIN + layout.header.height + HEADER_GAP;
        let footer_h = layout.footer.len() as f32 * line_height(FOOTER_SIZE) + FOOTER_GAP;
        let bottom = PAGE_H - MARGIN - footer_h;
        for page in &layout.pages {
            for item in page {
                let (y, height) = match item {
                    Item::Bar { y, height, .. } | Item::Row { y, height, .. } => (*y, *height),
                    Item::BarLine { y, .. } | Item::TableLine { y, .. } => {
                        (*y, chart_line_height())
                    }
                };
                assert!(y >= top - 0.01 && y + height <= bottom + 0.01);
            }
        }
    }
}
