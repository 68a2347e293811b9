//! The byte-stream console the REPL runs on, and an in-memory one for tests.

use ferropy_runtime::modules::InterruptHandle;

/// A console: a byte stream in each direction (a UART, a socket, a terminal).
pub trait Console {
    /// The next input byte, waiting for it; `None` when the stream has ended
    /// (disconnected, end of input): the session ends.
    fn read_byte(&mut self) -> Option<u8>;
    /// Writes bytes to the other side.
    fn write(&mut self, bytes: &[u8]);
    /// While code runs the REPL passes the VM's interrupt handle here, and
    /// `None` when it is done. Meanwhile a received Ctrl-C (0x03) should call
    /// [`InterruptHandle::interrupt`] instead of being queued as input (a UART
    /// does this in its receive interrupt, a host console in its reader thread).
    fn set_interrupt(&mut self, handle: Option<InterruptHandle>) {
        let _ = handle;
    }
}

#[cfg(feature = "std")]
pub use scripted::{ScriptedConsole, SharedOutput};

#[cfg(feature = "std")]
mod scripted {
    use std::collections::VecDeque;
    use std::sync::{Arc, Mutex};
    use std::vec::Vec;

    use super::Console;
    use ferropy_runtime::modules::InterruptHandle;

    /// Shared output of a [`ScriptedConsole`]: give a clone to the VM's sinks so
    /// program output and REPL output land in one buffer in order.
    pub type SharedOutput = Arc<Mutex<Vec<u8>>>;

    /// A console that reads from a script of bytes and records what is written;
    /// a Ctrl-C at the head of the script when code starts running interrupts
    /// it, as a UART's receive interrupt would. For tests and examples (`std`).
    pub struct ScriptedConsole {
        input: VecDeque<u8>,
        /// Everything written (REPL text and, through the VM's sinks, program output).
        pub output: SharedOutput,
    }

    impl ScriptedConsole {
        /// A console that will read `input`.
        pub fn new(input: &[u8]) -> ScriptedConsole {
            ScriptedConsole { input: input.iter().copied().collect(), output: Arc::new(Mutex::new(Vec::new())) }
        }

        /// Appends more input.
        pub fn push_input(&mut self, bytes: &[u8]) {
            self.input.extend(bytes.iter().copied());
        }

        /// A copy of everything written so far.
        pub fn written(&self) -> Vec<u8> {
            self.output.lock().map(|o| o.clone()).unwrap_or_default()
        }
    }

    impl Console for ScriptedConsole {
        fn read_byte(&mut self) -> Option<u8> {
            self.input.pop_front()
        }

        fn write(&mut self, bytes: &[u8]) {
            if let Ok(mut o) = self.output.lock() {
                o.extend_from_slice(bytes);
            }
        }

        fn set_interrupt(&mut self, handle: Option<InterruptHandle>) {
            // A Ctrl-C waiting at the head of the input arrives "while the code runs".
            if let Some(h) = &handle {
                if self.input.front() == Some(&0x03) {
                    self.input.pop_front();
                    h.interrupt();
                }
            }
        }
    }
}
