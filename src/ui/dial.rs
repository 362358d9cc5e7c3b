//! "Llamar": hands the number to the system (a `tel:`/`sip:` link) or to a softphone's command
//! line, as the click-to-call setting says (`domain::call::dial_target`). Behind one function
//! type, [`Dialer`], so that tests record the dial instead of starting a program.

use std::process::{Command, Stdio};

use crate::domain::call::DialTarget;

/// Opens a dial target; `Err` with the system's words when it could not.
pub type Dialer = fn(&DialTarget) -> std::io::Result<()>;

/// The system's: a link through the desktop's opener, a command line as a program of its own
/// (never through a shell: the number cannot become a command).
pub fn native(target: &DialTarget) -> std::io::Result<()> {
    let mut cmd = match target {
        DialTarget::Url(url) => opener(url),
        DialTarget::Command(args) => {
            let Some((program, rest)) = args.split_first() else {
                return Err(std::io::Error::new(
                    std::io::ErrorKind::InvalidInput,
                    "empty command",
                ));
            };
            let mut c = Command::new(program);
            c.args(rest);
            c
        }
    };
    cmd.stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map(|_| ())
}

/// The desktop's opener for a link.
fn opener(url: &str) -> Command {
    if cfg!(target_os = "windows") {
        let mut c = Command::new("rundll32");
        c.args(["url.dll,FileProtocolHandler", url]);
        c
    } else if cfg!(target_os = "macos") {
        let mut c = Command::new("open");
        c.arg(url);
        c
    } else {
        let mut c = Command::new("xdg-open");
        c.arg(url);
        c
    }
}
