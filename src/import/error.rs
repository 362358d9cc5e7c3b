//! Why a contact file cannot be read or imported, as typed values: the file, what was found and
//! the underlying error travel with the error; the words come from the locale files (`[read]`)
//! only when it is shown, in the language in use then.

use std::error::Error as StdError;
use std::fmt;
use std::io;
use std::sync::Arc;

use super::read::{Format, MAX_RECORD_BYTES};
use crate::i18n::{t, tf};

/// What a file that is not a readable table looks like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LooksLike {
    /// An OpenDocument file that is not a spreadsheet (a text document, a presentation…).
    OpenDocumentNotSpreadsheet,
    /// A ZIP archive without a spreadsheet in it (a Word document, a zipped folder…).
    ZipWithoutSpreadsheet,
    /// A PDF document.
    Pdf,
    /// A rich-text (RTF) document.
    Rtf,
    /// Binary content that is neither text nor a known workbook.
    Binary,
    /// Excel's "XML Spreadsheet 2003".
    ExcelXml2003,
    /// A web page (HTML), which some systems export with an `.xls` extension.
    Html,
    /// Some other XML document.
    Xml,
}

impl LooksLike {
    fn key(self) -> &'static str {
        match self {
            LooksLike::OpenDocumentNotSpreadsheet => "read.looks_opendocument",
            LooksLike::ZipWithoutSpreadsheet => "read.looks_zip",
            LooksLike::Pdf => "read.looks_pdf",
            LooksLike::Rtf => "read.looks_rtf",
            LooksLike::Binary => "read.looks_binary",
            LooksLike::ExcelXml2003 => "read.looks_excel_xml",
            LooksLike::Html => "read.looks_html",
            LooksLike::Xml => "read.looks_xml",
        }
    }
}

impl fmt::Display for LooksLike {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&t(self.key()))
    }
}

/// Why the workbook parser gave up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WorkbookFailure {
    /// The parser's own message (calamine's, in English).
    Parser(String),
    /// The parser panicked (caught: a damaged file never brings the program down).
    Panicked,
    /// The `.xlsx` reader thread ended before saying it had finished.
    Stopped,
}

impl fmt::Display for WorkbookFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WorkbookFailure::Parser(message) => f.write_str(message),
            WorkbookFailure::Panicked => f.write_str(&t("read.cause_panicked")),
            WorkbookFailure::Stopped => f.write_str(&t("read.cause_stopped")),
        }
    }
}

impl StdError for WorkbookFailure {}

/// What makes a workbook implausible: a size it declares (or would take once loaded) that no
/// real contact file has. Found before the workbook library allocates anything for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Limit {
    /// A sheet declares more rows or columns than its format allows.
    BeyondFormat {
        /// The sheet (its name, or its position `#n`).
        sheet: String,
        /// Rows declared.
        rows: u64,
        /// Columns declared.
        cols: u64,
        /// The format's rows.
        max_rows: u64,
        /// The format's columns.
        max_cols: u64,
    },
    /// A sheet the library loads whole would take more cells than
    /// [`MAX_LOADED_CELLS`](super::read::MAX_LOADED_CELLS).
    TooManyCells {
        /// The sheet (its name, or its position `#n`).
        sheet: String,
        /// Cells it would take.
        cells: u64,
        /// The limit.
        max: u64,
    },
    /// An `.ods` sheet repeats rows with values (`number-rows-repeated`) more than a contact
    /// list ever does.
    RepeatedRows {
        /// The sheet.
        sheet: String,
        /// Rows the repetitions make.
        rows: u64,
        /// The most repeated rows accepted.
        max: u64,
    },
    /// The shared-string table announces more strings than the file can hold.
    TooManyStrings {
        /// Strings announced.
        count: u64,
        /// The most the file can hold.
        max: u64,
    },
    /// The container contradicts itself (a sector chain that loops or leaves the file…).
    Broken(Broken),
}

/// How an OLE container (`.xls`) contradicts itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Broken {
    /// A sector chain loops.
    ChainLoop,
    /// A sector chain points outside the file.
    ChainOut,
    /// The header is not valid.
    Header,
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Limit::BeyondFormat {
                sheet,
                rows,
                cols,
                max_rows,
                max_cols,
            } => tf(
                "read_limits.beyond_format",
                &[
                    ("sheet", sheet),
                    ("rows", rows),
                    ("cols", cols),
                    ("max_rows", max_rows),
                    ("max_cols", max_cols),
                ],
            ),
            Limit::TooManyCells { sheet, cells, max } => tf(
                "read_limits.too_many_cells",
                &[("sheet", sheet), ("cells", cells), ("max", max)],
            ),
            Limit::RepeatedRows { sheet, rows, max } => tf(
                "read_limits.repeated_rows",
                &[("sheet", sheet), ("rows", rows), ("max", max)],
            ),
            Limit::TooManyStrings { count, max } => tf(
                "read_limits.too_many_strings",
                &[("count", count), ("max", max)],
            ),
            Limit::Broken(b) => {
                let detail = t(match b {
                    Broken::ChainLoop => "read_limits.detail_chain_loop",
                    Broken::ChainOut => "read_limits.detail_chain_out",
                    Broken::Header => "read_limits.detail_header",
                });
                tf("read_limits.broken_structure", &[("detail", &detail)])
            }
        };
        f.write_str(&text)
    }
}

/// An underlying error (disk, `csv`) kept as the cause: cloneable, and compared by its text.
#[derive(Clone, Debug)]
pub struct Cause(Arc<dyn StdError + Send + Sync>);

impl Cause {
    /// Wraps an error.
    pub fn new(error: impl StdError + Send + Sync + 'static) -> Self {
        Cause(Arc::new(error))
    }

    /// The kind, when the cause is an I/O error.
    pub fn io_kind(&self) -> Option<io::ErrorKind> {
        self.0.downcast_ref::<io::Error>().map(io::Error::kind)
    }
}

impl PartialEq for Cause {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || self.0.to_string() == other.0.to_string()
    }
}

impl Eq for Cause {}

impl fmt::Display for Cause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl StdError for Cause {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        self.0.source()
    }
}

/// A file that cannot be read or imported. `name` is the file name the user chose (no folders).
/// Shown (`Display`) in the language in use, with what to do.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
    /// The path is a folder.
    Folder {
        /// File name.
        name: String,
    },
    /// The file does not exist (any more).
    NotFound {
        /// File name.
        name: String,
        /// The disk error.
        source: Cause,
    },
    /// No permission to read it, or another program holds it.
    Denied {
        /// File name.
        name: String,
        /// The disk error.
        source: Cause,
    },
    /// Any other disk error while opening or sniffing.
    Io {
        /// File name.
        name: String,
        /// The disk error.
        source: Cause,
    },
    /// Zero bytes, or only white space.
    Empty {
        /// File name.
        name: String,
    },
    /// Not a table at all.
    NotATable {
        /// File name.
        name: String,
        /// What it is instead.
        looks_like: LooksLike,
    },
    /// A damaged or incomplete workbook (`.xlsx`, `.xlsb`, `.ods`…).
    DamagedWorkbook {
        /// File name.
        name: String,
        /// What the parser said, when it said one thing.
        cause: Option<WorkbookFailure>,
    },
    /// A damaged or implausible workbook: it declares sizes beyond its format's limits or
    /// beyond what a contact file can be, found before the workbook library allocates.
    Implausible {
        /// File name.
        name: String,
        /// What it declares.
        limit: Limit,
    },
    /// An Office (OLE) file that is neither a readable `.xls` nor an encrypted workbook.
    DamagedOrNotSpreadsheet {
        /// File name.
        name: String,
        /// What the `.xls` parser said.
        cause: WorkbookFailure,
    },
    /// Protected with a password.
    Password {
        /// File name.
        name: String,
    },
    /// A workbook without worksheets (only charts, or none).
    NoWorksheets {
        /// File name.
        name: String,
        /// The workbook's format.
        format: Format,
    },
    /// A text encoding `encoding_rs` does not know.
    UnknownEncoding {
        /// Its label.
        encoding: String,
    },
    /// One text record grew past [`MAX_RECORD_BYTES`].
    RecordTooLong {
        /// File name.
        name: String,
        /// The line where the record starts.
        line: usize,
        /// Inside a quoted field (an unclosed quote) rather than a line without line breaks.
        quoted: bool,
    },
    /// Reading a text file stopped in the middle (disk, network drive…).
    Stopped {
        /// File name.
        name: String,
        /// The last line read.
        line: usize,
        /// The reader's error.
        source: Cause,
    },
    /// The sheet asked for has only blank rows.
    SheetEmpty {
        /// File name.
        name: String,
        /// The sheet.
        sheet: String,
    },
    /// Every row of a text file is blank.
    AllRowsBlank {
        /// File name.
        name: String,
    },
    /// No header row could be taken.
    NoHeader {
        /// File name.
        name: String,
    },
    /// The workbook has no sheet by that name.
    NoSuchSheet {
        /// File name.
        name: String,
        /// The sheet asked for.
        sheet: String,
        /// The worksheets it has.
        available: Vec<String>,
    },
    /// Every sheet of the workbook is empty.
    AllSheetsEmpty {
        /// File name.
        name: String,
    },
    /// A worksheet could not be read to the end.
    SheetFailed {
        /// File name.
        name: String,
        /// What the parser said.
        cause: WorkbookFailure,
    },
    /// The file (or the mapping chosen) has no phone column, or no phone in any row.
    NoPhoneColumn,
}

impl ReadError {
    /// A disk error on the file `name`, by its kind.
    pub fn io(name: String, error: io::Error) -> Self {
        let kind = error.kind();
        let source = Cause::new(error);
        match kind {
            io::ErrorKind::NotFound => ReadError::NotFound { name, source },
            io::ErrorKind::PermissionDenied => ReadError::Denied { name, source },
            _ => ReadError::Io { name, source },
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            ReadError::Folder { name } => tf("read.err_folder", &[("name", name)]),
            ReadError::NotFound { name, .. } => tf("read.err_not_found", &[("name", name)]),
            ReadError::Denied { name, .. } => tf("read.err_denied", &[("name", name)]),
            ReadError::Io { name, source } => {
                tf("read.err_io", &[("error", source), ("name", name)])
            }
            ReadError::Empty { name } => tf("read.err_empty", &[("name", name)]),
            ReadError::NotATable { name, looks_like } => tf(
                "read.err_not_a_table",
                &[("what", looks_like), ("name", name)],
            ),
            ReadError::DamagedWorkbook { name, .. } => {
                tf("read.err_damaged_workbook", &[("name", name)])
            }
            ReadError::Implausible { name, limit } => tf(
                "read_limits.err_implausible",
                &[("what", limit), ("name", name)],
            ),
            ReadError::DamagedOrNotSpreadsheet { name, .. } => {
                tf("read.err_damaged_office", &[("name", name)])
            }
            ReadError::Password { name } => tf("read.err_password", &[("name", name)]),
            ReadError::NoWorksheets { name, format } => {
                let key = if *format == Format::Xls {
                    "read.err_no_worksheets_xls"
                } else {
                    "read.err_no_worksheets"
                };
                tf(key, &[("name", name)])
            }
            ReadError::UnknownEncoding { encoding } => {
                tf("read.err_unknown_encoding", &[("encoding", encoding)])
            }
            ReadError::RecordTooLong { name, line, quoted } => {
                let key = if *quoted {
                    "read.err_record_too_long_quoted"
                } else {
                    "read.err_line_too_long"
                };
                let mb = MAX_RECORD_BYTES / (1024 * 1024);
                tf(key, &[("line", line), ("mb", &mb), ("name", name)])
            }
            ReadError::Stopped { name, line, source } => tf(
                "read.err_stopped",
                &[("line", line), ("error", source), ("name", name)],
            ),
            ReadError::SheetEmpty { name, sheet } => {
                tf("read.err_sheet_empty", &[("sheet", sheet), ("name", name)])
            }
            ReadError::AllRowsBlank { name } => tf("read.err_all_rows_blank", &[("name", name)]),
            ReadError::NoHeader { name } => tf("read.err_no_header", &[("name", name)]),
            ReadError::NoSuchSheet {
                name,
                sheet,
                available,
            } => tf(
                "read.err_no_such_sheet",
                &[
                    ("sheets", &available.join(", ")),
                    ("sheet", sheet),
                    ("name", name),
                ],
            ),
            ReadError::AllSheetsEmpty { name } => {
                tf("read.err_all_sheets_empty", &[("name", name)])
            }
            ReadError::SheetFailed { name, cause } => tf(
                "read_limits.err_sheet_failed",
                &[("cause", cause), ("name", name)],
            ),
            ReadError::NoPhoneColumn => t("import.err_no_phone_column"),
        };
        f.write_str(&text)
    }
}

impl StdError for ReadError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        match self {
            ReadError::NotFound { source, .. }
            | ReadError::Denied { source, .. }
            | ReadError::Io { source, .. }
            | ReadError::Stopped { source, .. } => Some(source),
            ReadError::DamagedWorkbook {
                cause: Some(cause), ..
            }
            | ReadError::DamagedOrNotSpreadsheet { cause, .. }
            | ReadError::SheetFailed { cause, .. } => Some(cause),
            _ => None,
        }
    }
}
