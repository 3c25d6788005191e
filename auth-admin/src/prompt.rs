//! Where interactive commands read their answers from.

use std::io::{self, BufRead, IsTerminal, Write};

/// Asks the person at the keyboard. `createsuperuser` and `changepassword` use it when they
/// run interactively; implement it to drive those commands from a GUI or a test.
pub trait Prompter {
    /// Whether someone can answer. When false, commands never prompt: missing values are an
    /// error (`createsuperuser` reads the password from the environment instead).
    fn is_interactive(&self) -> bool;

    /// Shows `label` and reads one line of text, without its line ending. End of input is an
    /// error of kind [`io::ErrorKind::UnexpectedEof`].
    fn prompt(&mut self, label: &str) -> io::Result<String>;

    /// Shows `label` and reads a secret without echoing it.
    fn prompt_password(&mut self, label: &str) -> io::Result<String>;
}

/// The terminal: labels on standard error, text from standard input, passwords read from the
/// terminal with echo off. Interactive when standard input is a terminal.
#[derive(Debug, Default, Clone, Copy)]
pub struct TerminalPrompter;

impl Prompter for TerminalPrompter {
    fn is_interactive(&self) -> bool {
        io::stdin().is_terminal()
    }

    fn prompt(&mut self, label: &str) -> io::Result<String> {
        let mut stderr = io::stderr().lock();
        stderr.write_all(label.as_bytes())?;
        stderr.flush()?;
        let mut line = String::new();
        if io::stdin().lock().read_line(&mut line)? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(trim_line_ending(line))
    }

    fn prompt_password(&mut self, label: &str) -> io::Result<String> {
        rpassword::prompt_password(label)
    }
}

/// Nobody to ask: every prompt fails. Commands run with it behave as with `--no-input`.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoPrompter;

impl Prompter for NoPrompter {
    fn is_interactive(&self) -> bool {
        false
    }

    fn prompt(&mut self, _label: &str) -> io::Result<String> {
        Err(io::Error::new(
            io::ErrorKind::Unsupported,
            "no terminal to prompt on",
        ))
    }

    fn prompt_password(&mut self, label: &str) -> io::Result<String> {
        self.prompt(label)
    }
}

fn trim_line_ending(mut line: String) -> String {
    while line.ends_with(['\n', '\r']) {
        line.pop();
    }
    line
}
