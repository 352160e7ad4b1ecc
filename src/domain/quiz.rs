//! Quiz rules shared by the engine (which asks the questions) and the
//! content check (which makes sure the bank is big enough).

/// Questions in one quiz run; a language's bank must hold at least this many.
pub const QUIZ_LENGTH: usize = 10;
