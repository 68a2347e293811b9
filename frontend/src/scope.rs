//! Scope analysis, as MicroPython does it (`py/scope.c` and the scope pass of
//! `py/compile.c`): which names are local, global, cell or free in each scope,
//! the numbering of locals, and the compile-time errors of `global`/`nonlocal`.
//!
//! Scopes live in an arena ([`ScopeArena`]); the AST nodes that open a scope
//! (functions, classes, lambdas, comprehensions) are mapped to their scope by
//! node address, so the compiler finds the analysed scope when it reaches the node.

mod walk;

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use ferropy_bytecode::code::scope_flags;

pub use crate::emit::{EmitterKind, ScopeKind};
use crate::emit::{LocalInfo, ScopeInfo};
use crate::strmap::{hash_str, StrIndex};
use crate::token::Pos;
pub use walk::analyze;
pub(crate) use walk::{addr as walk_addr, comp_parts};

/// How an identifier is bound in a scope (MicroPython's `id_info_kind_t`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdKind {
    /// Not decided yet.
    Undecided,
    /// Used but never assigned here: a global (or builtin).
    GlobalImplicit,
    /// Assigned at module or class level.
    GlobalImplicitAssigned,
    /// Declared `global`.
    GlobalExplicit,
    /// A fast local.
    Local,
    /// A local that inner scopes close over.
    Cell,
    /// A variable of an enclosing function.
    Free,
}

/// Flag: the identifier is a parameter.
pub const FLAG_PARAM: u8 = 0x01;
/// Flag: the identifier is the `*args` parameter.
pub const FLAG_STAR_PARAM: u8 = 0x02;
/// Flag: the identifier is the `**kwargs` parameter.
pub const FLAG_DBL_STAR_PARAM: u8 = 0x04;

/// One identifier of a scope.
#[derive(Clone, Debug, PartialEq)]
pub struct IdInfo {
    /// The name.
    pub name: String,
    /// How it is bound.
    pub kind: IdKind,
    /// `FLAG_*` bits.
    pub flags: u8,
    /// Local slot number (for locals, cells and frees).
    pub local_num: u32,
    /// Viper type of a parameter.
    pub viper_type: u8,
}

/// One scope.
#[derive(Clone, Debug, PartialEq)]
pub struct Scope {
    /// The kind of scope.
    pub kind: ScopeKind,
    /// Its simple name.
    pub simple_name: String,
    /// The enclosing scope (None for the module).
    pub parent: Option<usize>,
    /// Identifiers in order of first appearance (MicroPython's order).
    pub ids: Vec<IdInfo>,
    /// Scope flags (`scope_flags::*`).
    pub scope_flags: u16,
    /// Positional parameters (plus free variables after analysis).
    pub num_pos_args: u32,
    /// Keyword-only parameters.
    pub num_kwonly_args: u32,
    /// Positional parameters with defaults.
    pub num_def_pos_args: u32,
    /// Number of local slots.
    pub num_locals: u32,
    /// The emitter chosen for the scope.
    pub emitter: EmitterKind,
    /// True for an inline-assembler function.
    pub is_asm: bool,
    /// Where the scope's node starts.
    pub pos: Pos,
    /// Viper return type.
    pub viper_return_type: u8,
    /// Hash index of `ids` by name, kept once the scope has many identifiers.
    index: StrIndex,
}

/// Scopes with at most this many identifiers are searched linearly.
const LINEAR_SEARCH_MAX: usize = 8;

impl Scope {
    /// A new empty scope.
    pub fn new(kind: ScopeKind, simple_name: &str, parent: Option<usize>, emitter: EmitterKind, pos: Pos) -> Self {
        Scope {
            kind,
            simple_name: String::from(simple_name),
            parent,
            ids: Vec::new(),
            scope_flags: 0,
            num_pos_args: 0,
            num_kwonly_args: 0,
            num_def_pos_args: 0,
            num_locals: 0,
            emitter,
            is_asm: false,
            pos,
            viper_return_type: 0,
            index: StrIndex::new(),
        }
    }

    /// The index of identifier `name`.
    pub fn find(&self, name: &str) -> Option<usize> {
        if self.index.is_empty() {
            return self.ids.iter().position(|i| i.name == name);
        }
        self.find_hashed(name, hash_str(name))
    }

    fn find_hashed(&self, name: &str, hash: u64) -> Option<usize> {
        self.index.find(hash, |i| self.ids.get(i).is_some_and(|id| id.name == name))
    }

    /// The index of `name`, adding it with `kind` when absent.
    pub fn find_or_add(&mut self, name: &str, kind: IdKind) -> usize {
        let new = self.ids.len();
        if self.index.is_empty() {
            if let Some(i) = self.ids.iter().position(|i| i.name == name) {
                return i;
            }
            if new >= LINEAR_SEARCH_MAX {
                for (i, id) in self.ids.iter().enumerate() {
                    self.index.insert(hash_str(&id.name), i);
                }
                self.index.insert(hash_str(name), new);
            }
        } else {
            let hash = hash_str(name);
            if let Some(i) = self.find_hashed(name, hash) {
                return i;
            }
            self.index.insert(hash, new);
        }
        self.ids.push(IdInfo { name: String::from(name), kind, flags: 0, local_num: 0, viper_type: 0 });
        new
    }

    /// Swaps identifiers `a` and `b` (keeping the index right).
    fn swap_ids(&mut self, a: usize, b: usize) {
        if !self.index.is_empty() {
            if let (Some(x), Some(y)) = (self.ids.get(a), self.ids.get(b)) {
                self.index.swap_entries(hash_str(&x.name), a, hash_str(&y.name), b);
            }
        }
        if a < self.ids.len() && b < self.ids.len() {
            self.ids.swap(a, b);
        }
    }

    /// Records a use that modifies `name` (store or delete).
    pub fn id_for_modification(&mut self, name: &str) -> usize {
        let i = self.find_or_add(name, IdKind::GlobalImplicit);
        if let Some(id) = self.ids.get_mut(i) {
            if id.kind == IdKind::GlobalImplicit {
                id.kind = if self.kind.is_func_like() { IdKind::Local } else { IdKind::GlobalImplicitAssigned };
            }
        }
        i
    }

    /// The information an emitter needs when this scope starts.
    pub fn info(&self) -> ScopeInfo {
        self.info_with(true)
    }

    /// The information the emitter of this scope needs: the bytecode emitter
    /// does not read the locals list, so it is left empty for bytecode scopes.
    pub fn info_for_emitter(&self) -> ScopeInfo {
        self.info_with(self.emitter != EmitterKind::Bytecode)
    }

    fn info_with(&self, with_locals: bool) -> ScopeInfo {
        let n_params = (self.num_pos_args + self.num_kwonly_args) as usize;
        let mut param_slots: Vec<Option<&str>> = alloc::vec![None; n_params];
        for id in &self.ids {
            if id.flags & FLAG_PARAM != 0 {
                if let Some(slot) = param_slots.get_mut(id.local_num as usize) {
                    *slot = Some(&id.name);
                }
            }
        }
        let param_names = param_slots.into_iter().map(|s| String::from(s.unwrap_or("*"))).collect();
        let mut locals = Vec::new();
        let mut cells = Vec::new();
        for id in &self.ids {
            let is_local = matches!(id.kind, IdKind::Local | IdKind::Cell | IdKind::Free) || id.flags & FLAG_PARAM != 0;
            if self.kind == ScopeKind::Class && id.name == "__class__" && id.kind == IdKind::Local {
                continue;
            }
            if id.kind == IdKind::Cell {
                cells.push(id.local_num);
            }
            if is_local && with_locals {
                locals.push(LocalInfo {
                    name: id.name.clone(),
                    local_num: id.local_num,
                    is_param: id.flags & FLAG_PARAM != 0,
                    is_cell: id.kind == IdKind::Cell,
                    is_free: id.kind == IdKind::Free,
                    viper_type: id.viper_type,
                });
            }
        }
        ScopeInfo {
            kind: self.kind,
            simple_name: self.simple_name.clone(),
            emitter: self.emitter,
            scope_flags: self.scope_flags,
            num_pos_args: self.num_pos_args,
            num_kwonly_args: self.num_kwonly_args,
            num_def_pos_args: self.num_def_pos_args,
            num_locals: self.num_locals,
            param_names,
            locals,
            cells,
            viper_return_type: self.viper_return_type,
            def_line: self.pos.line,
        }
    }
}

/// All scopes of a compilation unit, and the map from AST nodes to scopes.
#[derive(Clone, Debug, Default)]
pub struct ScopeArena {
    /// The scopes; index 0 is the module.
    pub scopes: Vec<Scope>,
    /// Scope index by the address of the AST node that opens it.
    pub by_node: BTreeMap<usize, usize>,
    /// Names declared `global` in some function (they become explicit module globals).
    pub declared_global: Vec<String>,
}

impl ScopeArena {
    /// An arena holding only the module scope.
    pub fn new(module_emitter: EmitterKind) -> Self {
        ScopeArena {
            scopes: alloc::vec![Scope::new(ScopeKind::Module, "<module>", None, module_emitter, Pos::new(1, 1))],
            by_node: BTreeMap::new(),
            declared_global: Vec::new(),
        }
    }

    /// Drops every scope but the module (after a top-level statement is compiled).
    pub fn reset_children(&mut self) {
        self.scopes.truncate(1);
        self.by_node.clear();
    }

    /// The scope opened by the node at `addr`.
    pub fn scope_of(&self, addr: usize) -> Option<usize> {
        self.by_node.get(&addr).copied()
    }

    /// Marks `name` a free variable of `scope` if an enclosing function binds it
    /// (MicroPython's `scope_check_to_close_over`).
    pub fn check_to_close_over(&mut self, scope: usize, id_index: usize) {
        // The module, and scopes directly inside it, have no enclosing function.
        let parent = self.scopes.get(scope).and_then(|s| s.parent);
        if parent.and_then(|p| self.scopes.get(p)).and_then(|p| p.parent).is_none() {
            return;
        }
        let Some(name) = self.scopes.get(scope).and_then(|s| s.ids.get(id_index)).map(|i| i.name.clone()) else {
            return;
        };
        let mut s = self.scopes.get(scope).and_then(|s| s.parent);
        while let Some(si) = s {
            let Some(sc) = self.scopes.get(si) else {
                return;
            };
            if sc.parent.is_none() {
                return;
            }
            if let Some(j) = sc.find(&name) {
                let k = sc.ids.get(j).map(|i| i.kind);
                if matches!(k, Some(IdKind::Local | IdKind::Cell | IdKind::Free)) {
                    if let Some(id) = self.scopes.get_mut(scope).and_then(|s| s.ids.get_mut(id_index)) {
                        id.kind = IdKind::Free;
                    }
                    self.close_over_in_parents(scope, &name);
                }
                return;
            }
            s = sc.parent;
        }
    }

    fn close_over_in_parents(&mut self, scope: usize, name: &str) {
        let mut s = self.scopes.get(scope).and_then(|s| s.parent);
        while let Some(si) = s {
            let Some(sc) = self.scopes.get_mut(si) else {
                return;
            };
            if sc.parent.is_none() {
                return;
            }
            let j = sc.find_or_add(name, IdKind::Undecided);
            if let Some(id) = sc.ids.get_mut(j) {
                match id.kind {
                    IdKind::Undecided => id.kind = IdKind::Free,
                    IdKind::Local => {
                        id.kind = IdKind::Cell;
                        return;
                    }
                    _ => return,
                }
            }
            s = sc.parent;
        }
    }

    /// Numbers locals, cells and frees (MicroPython's `scope_compute_things`).
    pub fn compute_things(&mut self, scope: usize) {
        // Only the parent's cells and frees matter for numbering free variables
        // (the module has none: no need to look at its many globals).
        let parent_closed: Vec<String> = match self.scopes.get(scope).and_then(|s| s.parent) {
            Some(p) => self
                .scopes
                .get(p)
                .map(|p| {
                    p.ids
                        .iter()
                        .filter(|i| matches!(i.kind, IdKind::Cell | IdKind::Free))
                        .map(|i| i.name.clone())
                        .collect()
                })
                .unwrap_or_default(),
            None => Vec::new(),
        };
        let Some(sc) = self.scopes.get_mut(scope) else {
            return;
        };
        // *args goes after all other parameters except **kwargs.
        if sc.scope_flags & scope_flags::VARARGS != 0 {
            let mut id_param: Option<usize> = None;
            for i in (0..sc.ids.len()).rev() {
                let flags = sc.ids[i].flags;
                if flags & FLAG_STAR_PARAM != 0 {
                    if let Some(p) = id_param {
                        sc.swap_ids(i, p);
                    }
                    break;
                } else if id_param.is_none() && flags == FLAG_PARAM {
                    id_param = Some(i);
                }
            }
        }
        sc.num_locals = 0;
        let kind = sc.kind;
        for id in sc.ids.iter_mut() {
            if kind == ScopeKind::Class && id.name == "__class__" {
                continue;
            }
            if kind.is_func_like() && id.kind == IdKind::GlobalImplicit {
                id.kind = IdKind::GlobalExplicit;
            }
            if id.kind == IdKind::Local || id.flags & FLAG_PARAM != 0 {
                id.local_num = sc.num_locals;
                sc.num_locals += 1;
            }
        }
        for id in sc.ids.iter_mut() {
            if id.kind == IdKind::Cell && id.flags & FLAG_PARAM == 0 {
                id.local_num = sc.num_locals;
                sc.num_locals += 1;
            }
        }
        if sc.parent.is_some() {
            let mut num_free = 0;
            for pname in &parent_closed {
                for id in sc.ids.iter_mut() {
                    if id.kind == IdKind::Free && id.name == *pname {
                        id.local_num = num_free;
                        num_free += 1;
                    }
                }
            }
            if num_free > 0 {
                for id in sc.ids.iter_mut() {
                    if id.kind != IdKind::Free || id.flags & FLAG_PARAM != 0 {
                        id.local_num += num_free;
                    }
                }
                sc.num_pos_args += num_free;
                sc.num_locals += num_free;
            }
        }
    }
}

#[cfg(test)]
mod tests;
