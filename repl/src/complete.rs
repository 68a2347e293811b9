//! Tab completion of names and attributes against a VM, as MicroPython's
//! `mp_repl_autocomplete`: the dotted chain before the cursor (`os.pa`) is
//! looked up word by word from `__main__`'s globals and the builtins, and the
//! last, partial word is matched against the names found there (`dir()` of the
//! object for an attribute). After `import `, built-in module names are offered.

use alloc::collections::BTreeSet;
use alloc::string::String;
use alloc::vec::Vec;

use ferropy_runtime::{Obj, PyResult, Vm};

use crate::editor::Completion;

/// Completes `before_cursor` (the line up to the cursor).
pub fn complete(vm: &mut Vm, before_cursor: &str) -> Completion {
    let start = before_cursor
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_ascii_alphanumeric() || c == '_' || c == '.')
        .last()
        .map(|(i, _)| i)
        .unwrap_or(before_cursor.len());
    let chain = &before_cursor[start..];
    let mut words: Vec<&str> = chain.split('.').collect();
    let partial = words.pop().unwrap_or("");
    let import = before_cursor.starts_with("import ") && words.is_empty();
    let names = match vm.with_temps(|vm| candidates(vm, &words, import)) {
        Ok(Some(names)) => names,
        _ => return Completion::None,
    };
    let matches: Vec<String> =
        names.into_iter().filter(|n| n.starts_with(partial) && (!partial.is_empty() || !n.starts_with('_'))).collect();
    if matches.is_empty() {
        let first_word = start == 0 && words.is_empty();
        if first_word && !partial.is_empty() && "import ".starts_with(partial) && partial.len() < 7 {
            return Completion::Insert(String::from(&"import "[partial.len()..]));
        }
        return Completion::None;
    }
    let common = common_prefix(&matches);
    if matches.len() == 1 || common.len() > partial.len() {
        return Completion::Insert(String::from(&common[partial.len()..]));
    }
    Completion::Many(matches)
}

/// The names visible at the end of `words` (sorted, without duplicates), or
/// `None` when a word of the chain is not found.
fn candidates(vm: &mut Vm, words: &[&str], import: bool) -> PyResult<Option<BTreeSet<String>>> {
    let mut names = BTreeSet::new();
    if import {
        for m in ferropy_runtime::modules::MODULES {
            names.insert(String::from(m.name));
        }
        for (m, _) in ferropy_runtime::modules::CONSTRUCTED_MODULES.iter() {
            names.insert(String::from(*m));
        }
        return Ok(Some(names));
    }
    let globals = vm.main_globals("<stdin>")?;
    vm.root(globals);
    let builtins = vm.st.builtins;
    let Some((first, rest)) = words.split_first() else {
        for d in [globals, builtins] {
            for (k, _) in vm.dict_entries(d) {
                if let Some(t) = key_text(vm, k) {
                    names.insert(t);
                }
            }
        }
        return Ok(Some(names));
    };
    let mut obj = match vm.dict_get_str(globals, first)? {
        Some(o) => o,
        None => match vm.dict_get_str(builtins, first)? {
            Some(o) => o,
            None => return Ok(None),
        },
    };
    vm.root(obj);
    for w in rest {
        // Only names that exist already: completion never interns user text.
        let Some(q) = vm.st.qstrs.lookup(w.as_bytes()) else { return Ok(None) };
        match vm.load_attr_opt(obj, q) {
            Ok(Some(o)) => obj = vm.root(o),
            _ => return Ok(None),
        }
    }
    let dir = ferropy_runtime::builtins::function_obj("dir");
    let list = vm.call(dir, &[obj], &[])?;
    vm.root(list);
    for item in vm.list_items(list) {
        if let Some(t) = key_text(vm, item) {
            names.insert(t);
        }
    }
    Ok(Some(names))
}

fn key_text(vm: &Vm, k: Obj) -> Option<String> {
    if let Some(q) = k.qstr() {
        return vm.st.qstrs.text(q).map(String::from);
    }
    vm.str_text(k)
}

fn common_prefix(words: &[String]) -> String {
    let mut prefix: &str = &words[0];
    for w in &words[1..] {
        let n = prefix.char_indices().zip(w.chars()).take_while(|((_, a), b)| a == b).count();
        let end = prefix.char_indices().nth(n).map(|(i, _)| i).unwrap_or(prefix.len());
        prefix = &prefix[..end];
    }
    String::from(prefix)
}
