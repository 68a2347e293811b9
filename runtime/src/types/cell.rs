//! Cells: `[type, value]`, the boxes closures share variables through.

use super::ids;
use super::TypeDesc;
use crate::error::PyResult;
use crate::obj::Obj;
use crate::vm::Vm;

/// The cell type.
pub static CELL_TYPE: TypeDesc = TypeDesc::new("cell", ids::OBJECT);

impl Vm {
    /// A new cell holding `value` (may be NULL = empty).
    pub fn new_cell(&mut self, value: Obj) -> PyResult<Obj> {
        let c = self.alloc(2)?;
        self.set(c, 0, super::type_obj(ids::CELL));
        self.set(c, 1, value);
        Ok(c)
    }
}
