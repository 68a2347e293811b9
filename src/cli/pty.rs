//! `ferropy --serve pty`: a pseudo-terminal the REPL is served on, like a
//! board's UART (`mpremote connect /dev/pts/N`). The server keeps the
//! terminal's device side open, so clients come and go as on a serial line.

use std::fs::File;
use std::os::fd::AsRawFd;
use std::path::PathBuf;

use nix::pty::openpty;
use nix::sys::termios::{cfmakeraw, tcgetattr, tcsetattr, SetArg};

use super::link::Stream;

/// An open pseudo-terminal pair.
pub struct ServePty {
    master: File,
    /// Kept open so the line stays up between clients.
    _slave: File,
    /// The device clients open (`/dev/pts/N`).
    pub path: PathBuf,
}

impl ServePty {
    /// Opens a pseudo-terminal in raw mode (bytes pass unchanged both ways).
    pub fn open() -> std::io::Result<ServePty> {
        let pair = openpty(None, None).map_err(std::io::Error::from)?;
        let mut t = tcgetattr(&pair.slave).map_err(std::io::Error::from)?;
        cfmakeraw(&mut t);
        tcsetattr(&pair.slave, SetArg::TCSANOW, &t).map_err(std::io::Error::from)?;
        let path = std::fs::read_link(format!("/proc/self/fd/{}", pair.slave.as_raw_fd()))?;
        Ok(ServePty { master: File::from(pair.master), _slave: File::from(pair.slave), path })
    }

    /// The line as a client stream (hanging up does nothing: a UART stays).
    pub fn stream(&self) -> std::io::Result<Stream> {
        Ok(Stream {
            reader: Box::new(self.master.try_clone()?),
            writer: Box::new(self.master.try_clone()?),
            hang_up: Box::new(|| {}),
        })
    }
}
