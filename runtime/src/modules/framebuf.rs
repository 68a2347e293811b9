//! The `framebuf` module: `FrameBuffer(buffer, width, height, format[, stride])`
//! drawing into any writable buffer in MicroPython's pixel formats (MONO_VLSB,
//! MONO_HLSB, MONO_HMSB, RGB565, GS2_HMSB, GS4_HMSB, GS8) with `fill`,
//! `fill_rect`, `pixel`, `hline`, `vline`, `rect`, `line`, `ellipse`, `poly`,
//! `scroll` and `blit` (with a key colour and a palette). `text` is not
//! provided (it needs a font). A frame buffer is
//! `[type, buffer, width, height, format, stride]`.

use alloc::vec::Vec;

use crate::error::PyResult;
use crate::obj::Obj;
use crate::types::{ids, Method, TypeDesc};
use crate::vm::Vm;

const MONO_VLSB: i64 = 0;
const RGB565: i64 = 1;
const GS4_HMSB: i64 = 2;
const MONO_HLSB: i64 = 3;
const MONO_HMSB: i64 = 4;
const GS2_HMSB: i64 = 5;
const GS8: i64 = 6;

/// The module's function table.
pub static FRAMEBUF_FUNCS: TypeDesc = TypeDesc { methods: &FUNCS, ..TypeDesc::new("framebuf", ids::OBJECT) };

static FUNCS: [Method; 1] = [Method::new_static("FrameBuffer1", framebuffer1)];

static FB_METHODS: [Method; 11] = [
    Method::new("fill", fb_fill),
    Method::new("fill_rect", fb_fill_rect),
    Method::new("pixel", fb_pixel),
    Method::new("hline", fb_hline),
    Method::new("vline", fb_vline),
    Method::new("rect", fb_rect),
    Method::new("line", fb_line),
    Method::new("ellipse", fb_ellipse),
    Method::new("poly", fb_poly),
    Method::new("scroll", fb_scroll),
    Method::new("blit", fb_blit),
];

/// `framebuf.FrameBuffer`.
pub static FRAMEBUFFER_TYPE: TypeDesc = TypeDesc {
    subclassable: true,
    make_new: Some(fb_make_new),
    methods: &FB_METHODS,
    buffer: Some(fb_buffer),
    ..TypeDesc::new("FrameBuffer", ids::OBJECT)
};

/// Builds the `framebuf` module.
pub fn init(vm: &mut Vm) -> PyResult<Obj> {
    let small = |v: i64| Obj::from_small_int(v as i32).unwrap_or(Obj::NONE);
    let extra = [
        ("FrameBuffer", crate::types::type_obj(ids::FRAMEBUFFER)),
        ("MVLSB", small(MONO_VLSB)),
        ("MONO_VLSB", small(MONO_VLSB)),
        ("RGB565", small(RGB565)),
        ("GS2_HMSB", small(GS2_HMSB)),
        ("GS4_HMSB", small(GS4_HMSB)),
        ("GS8", small(GS8)),
        ("MONO_HLSB", small(MONO_HLSB)),
        ("MONO_HMSB", small(MONO_HMSB)),
    ];
    super::make_module(vm, "framebuf", ids::FRAMEBUF_FUNCS, &extra)
}

/// A frame buffer's geometry and where its bytes are.
#[derive(Clone, Copy)]
struct Fb {
    buf: Obj,
    w: i64,
    h: i64,
    format: i64,
    stride: i64,
}

fn fb_buffer(vm: &Vm, o: Obj) -> Option<crate::types::buffer::BufferInfo> {
    let b = vm.get(o, 1);
    vm.buffer_info(b)
}

fn parts(vm: &mut Vm, o: Obj) -> PyResult<Fb> {
    let o = vm.native_self(o);
    if !vm.is_exact(o, ids::FRAMEBUFFER) {
        return Err(vm.type_error("FrameBuffer expected"));
    }
    if vm.get(o, 1).is_null() {
        return Err(vm.value_error("FrameBuffer not initialised"));
    }
    let g = |i| vm.get(o, i).small_int_value().unwrap_or(0) as i64;
    Ok(Fb { buf: vm.get(o, 1), w: g(2), h: g(3), format: g(4), stride: g(5) })
}

/// Bytes needed for a frame of this geometry (the last row need only hold `w` pixels).
fn needed(format: i64, w: i64, h: i64, stride: i64) -> i64 {
    let (rows, bpp) = match format {
        MONO_VLSB => ((h + 7) / 8, 8),
        MONO_HLSB | MONO_HMSB => (h, 1),
        RGB565 => (h, 16),
        GS2_HMSB => (h, 2),
        GS4_HMSB => (h, 4),
        _ => (h, 8),
    };
    if rows == 0 {
        return 0;
    }
    (((rows - 1) * stride + w) * bpp + 7) / 8
}

fn make(vm: &mut Vm, t: Obj, args: &[Obj]) -> PyResult<Obj> {
    make_checked(vm, t, args, true)
}

fn make_checked(vm: &mut Vm, t: Obj, args: &[Obj], writable: bool) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 4, 5)?;
    let (w, h, format) = (vm.expect_int(args[1])?, vm.expect_int(args[2])?, vm.expect_int(args[3])?);
    let mut stride = match args.get(4) {
        Some(&s) => vm.expect_int(s)?,
        None => w,
    };
    if !(0..=0x7fff).contains(&w) || !(0..=0x7fff).contains(&h) || !(0..=0x7fff).contains(&stride) || stride < w {
        return Err(vm.value_error("invalid dimensions"));
    }
    stride = match format {
        MONO_HLSB | MONO_HMSB => (stride + 7) & !7,
        GS2_HMSB => (stride + 3) & !3,
        GS4_HMSB => (stride + 1) & !1,
        MONO_VLSB | RGB565 | GS8 => stride,
        _ => return Err(vm.value_error("invalid format")),
    };
    let Some(info) = vm.buffer_info(args[0]).filter(|i| i.writable || !writable) else {
        return Err(vm.type_error("object with buffer protocol required"));
    };
    if (info.len as i64) < needed(format, w, h, stride) {
        return Err(vm.value_error("buffer too small"));
    }
    let o = vm.alloc(6)?;
    vm.set(o, 0, t);
    vm.set(o, 1, args[0]);
    for (i, v) in [w, h, format, stride].into_iter().enumerate() {
        vm.set(o, 2 + i, Obj::from_small_int(v as i32).unwrap_or(Obj::NONE));
    }
    Ok(o)
}

fn fb_make_new(vm: &mut Vm, t: Obj, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let _ = kw;
    if args.is_empty() {
        // The native part of a subclass made before its `__init__` runs, which
        // makes the real one through `super().__init__(buffer, ...)`.
        let o = vm.alloc(6)?;
        vm.set(o, 0, t);
        return Ok(o);
    }
    make(vm, t, args)
}

fn framebuffer1(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    crate::builtins::check_count(vm, args, 3, 4)?;
    let mut a = alloc::vec![args[0], args[1], args[2], Obj::from_small_int(MONO_VLSB as i32).unwrap_or(Obj::NONE)];
    if let Some(&s) = args.get(3) {
        a.push(s);
    }
    make(vm, crate::types::type_obj(ids::FRAMEBUFFER), &a)
}

// ----- pixels -----

fn byte_at(vm: &Vm, fb: &Fb, i: i64) -> u8 {
    vm.buffer_byte(fb.buf, i.max(0) as usize)
}

fn set_byte(vm: &mut Vm, fb: &Fb, i: i64, v: u8) {
    vm.buffer_write(fb.buf, i.max(0) as usize, &[v]);
}

fn get_pixel(vm: &Vm, fb: &Fb, x: i64, y: i64) -> u32 {
    match fb.format {
        MONO_VLSB => (byte_at(vm, fb, (y >> 3) * fb.stride + x) >> (y & 7)) as u32 & 1,
        MONO_HLSB | MONO_HMSB => {
            let i = (x + y * fb.stride) >> 3;
            let off = if fb.format == MONO_HMSB { x & 7 } else { 7 - (x & 7) };
            (byte_at(vm, fb, i) >> off) as u32 & 1
        }
        RGB565 => {
            let i = (x + y * fb.stride) * 2;
            u16::from_le_bytes([byte_at(vm, fb, i), byte_at(vm, fb, i + 1)]) as u32
        }
        GS2_HMSB => {
            let i = (x + y * fb.stride) >> 2;
            (byte_at(vm, fb, i) >> ((x & 3) << 1)) as u32 & 3
        }
        GS4_HMSB => {
            let b = byte_at(vm, fb, (x + y * fb.stride) >> 1);
            if x & 1 == 1 {
                b as u32 & 0x0f
            } else {
                (b >> 4) as u32
            }
        }
        _ => byte_at(vm, fb, x + y * fb.stride) as u32,
    }
}

fn set_pixel(vm: &mut Vm, fb: &Fb, x: i64, y: i64, c: u32) {
    match fb.format {
        MONO_VLSB => {
            let i = (y >> 3) * fb.stride + x;
            let bit = 1u8 << (y & 7);
            let b = byte_at(vm, fb, i);
            set_byte(vm, fb, i, if c & 1 != 0 { b | bit } else { b & !bit });
        }
        MONO_HLSB | MONO_HMSB => {
            let i = (x + y * fb.stride) >> 3;
            let off = if fb.format == MONO_HMSB { x & 7 } else { 7 - (x & 7) };
            let b = byte_at(vm, fb, i);
            set_byte(vm, fb, i, (b & !(1 << off)) | (((c != 0) as u8) << off));
        }
        RGB565 => {
            let i = (x + y * fb.stride) * 2;
            let v = (c as u16).to_le_bytes();
            set_byte(vm, fb, i, v[0]);
            set_byte(vm, fb, i + 1, v[1]);
        }
        GS2_HMSB => {
            let i = (x + y * fb.stride) >> 2;
            let shift = (x & 3) << 1;
            let b = byte_at(vm, fb, i);
            set_byte(vm, fb, i, (b & !(3 << shift)) | (((c & 3) as u8) << shift));
        }
        GS4_HMSB => {
            let i = (x + y * fb.stride) >> 1;
            let b = byte_at(vm, fb, i);
            let v = if x & 1 == 1 { (c as u8 & 0x0f) | (b & 0xf0) } else { ((c as u8) << 4) | (b & 0x0f) };
            set_byte(vm, fb, i, v);
        }
        _ => set_byte(vm, fb, x + y * fb.stride, c as u8),
    }
}

fn set_pixel_checked(vm: &mut Vm, fb: &Fb, x: i64, y: i64, c: u32, mask: bool) {
    if mask && 0 <= x && x < fb.w && 0 <= y && y < fb.h {
        set_pixel(vm, fb, x, y, c);
    }
}

fn fill_rect(vm: &mut Vm, fb: &Fb, x: i64, y: i64, w: i64, h: i64, c: u32) {
    if h < 1 || w < 1 || x + w <= 0 || y + h <= 0 || y >= fb.h || x >= fb.w {
        return;
    }
    let (xend, yend) = ((x + w).min(fb.w), (y + h).min(fb.h));
    let (x, y) = (x.max(0), y.max(0));
    for yy in y..yend {
        for xx in x..xend {
            set_pixel(vm, fb, xx, yy, c);
        }
    }
}

// ----- methods -----

fn ints(vm: &mut Vm, args: &[Obj], from: usize, n: usize) -> PyResult<Vec<i64>> {
    crate::builtins::check_count(vm, args, from + n, usize::MAX)?;
    let mut v = Vec::with_capacity(n);
    for &a in &args[from..from + n] {
        v.push(vm.expect_int(a)?);
    }
    Ok(v)
}

fn colour(vm: &mut Vm, o: Obj) -> PyResult<u32> {
    Ok(vm.expect_int(o)? as u32)
}

fn fb_fill(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    let c = crate::builtins::arg(vm, args, 1)?;
    let c = colour(vm, c)?;
    fill_rect(vm, &fb, 0, 0, fb.w, fb.h, c);
    Ok(Obj::NONE)
}

fn fb_fill_rect(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    let v = ints(vm, args, 1, 5)?;
    fill_rect(vm, &fb, v[0], v[1], v[2], v[3], v[4] as u32);
    Ok(Obj::NONE)
}

fn fb_pixel(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    let v = ints(vm, args, 1, 2)?;
    let (x, y) = (v[0], v[1]);
    if !(0 <= x && x < fb.w && 0 <= y && y < fb.h) {
        return Ok(Obj::NONE);
    }
    match args.get(3) {
        None => vm.new_int(get_pixel(vm, &fb, x, y) as i64),
        Some(&c) => {
            let c = colour(vm, c)?;
            set_pixel(vm, &fb, x, y, c);
            Ok(Obj::NONE)
        }
    }
}

fn fb_hline(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    let v = ints(vm, args, 1, 4)?;
    fill_rect(vm, &fb, v[0], v[1], v[2], 1, v[3] as u32);
    Ok(Obj::NONE)
}

fn fb_vline(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    let v = ints(vm, args, 1, 4)?;
    fill_rect(vm, &fb, v[0], v[1], 1, v[2], v[3] as u32);
    Ok(Obj::NONE)
}

fn fb_rect(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    let v = ints(vm, args, 1, 5)?;
    let fill = match args.get(6) {
        Some(&f) => vm.is_true(f)?,
        None => false,
    };
    let (x, y, w, h, c) = (v[0], v[1], v[2], v[3], v[4] as u32);
    if fill {
        fill_rect(vm, &fb, x, y, w, h, c);
    } else {
        fill_rect(vm, &fb, x, y, w, 1, c);
        fill_rect(vm, &fb, x, y + h - 1, w, 1, c);
        fill_rect(vm, &fb, x, y, 1, h, c);
        fill_rect(vm, &fb, x + w - 1, y, 1, h, c);
    }
    Ok(Obj::NONE)
}

fn line(vm: &mut Vm, fb: &Fb, x1: i64, y1: i64, x2: i64, y2: i64, c: u32) {
    let (mut x1, mut y1) = (x1, y1);
    let (mut dx, mut sx) = (x2 - x1, 1);
    if dx < 0 {
        dx = -dx;
        sx = -1;
    }
    let (mut dy, mut sy) = (y2 - y1, 1);
    if dy < 0 {
        dy = -dy;
        sy = -1;
    }
    let steep = dy > dx;
    if steep {
        core::mem::swap(&mut x1, &mut y1);
        core::mem::swap(&mut dx, &mut dy);
        core::mem::swap(&mut sx, &mut sy);
    }
    let mut e = 2 * dy - dx;
    for _ in 0..dx {
        if steep {
            set_pixel_checked(vm, fb, y1, x1, c, true);
        } else {
            set_pixel_checked(vm, fb, x1, y1, c, true);
        }
        while e >= 0 {
            y1 += sy;
            e -= 2 * dx;
        }
        x1 += sx;
        e += 2 * dy;
    }
    set_pixel_checked(vm, fb, x2, y2, c, true);
}

fn fb_line(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    let v = ints(vm, args, 1, 5)?;
    line(vm, &fb, v[0], v[1], v[2], v[3], v[4] as u32);
    Ok(Obj::NONE)
}

/// Draws (or fills towards the centre) the four mirrored points of an ellipse.
#[allow(clippy::too_many_arguments)]
fn ellipse_points(vm: &mut Vm, fb: &Fb, cx: i64, cy: i64, x: i64, y: i64, c: u32, fill: bool, mask: i64) {
    if fill {
        if mask & 1 != 0 {
            fill_rect(vm, fb, cx, cy - y, x + 1, 1, c);
        }
        if mask & 2 != 0 {
            fill_rect(vm, fb, cx - x, cy - y, x + 1, 1, c);
        }
        if mask & 4 != 0 {
            fill_rect(vm, fb, cx - x, cy + y, x + 1, 1, c);
        }
        if mask & 8 != 0 {
            fill_rect(vm, fb, cx, cy + y, x + 1, 1, c);
        }
    } else {
        set_pixel_checked(vm, fb, cx + x, cy - y, c, mask & 1 != 0);
        set_pixel_checked(vm, fb, cx - x, cy - y, c, mask & 2 != 0);
        set_pixel_checked(vm, fb, cx - x, cy + y, c, mask & 4 != 0);
        set_pixel_checked(vm, fb, cx + x, cy + y, c, mask & 8 != 0);
    }
}

/// `ellipse(x, y, xr, yr, c[, f[, m]])`: Kennedy's integer ellipse algorithm.
fn fb_ellipse(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    let v = ints(vm, args, 1, 5)?;
    let fill = match args.get(6) {
        Some(&f) => vm.is_true(f)?,
        None => false,
    };
    let mask = match args.get(7) {
        Some(&m) => vm.expect_int(m)? & 0xf,
        None => 0xf,
    };
    let (cx, cy, xr, yr, c) = (v[0], v[1], v[2], v[3], v[4] as u32);
    if xr == 0 && yr == 0 {
        if mask != 0 {
            set_pixel_checked(vm, &fb, cx, cy, c, true);
        }
        return Ok(Obj::NONE);
    }
    if xr < 0 || yr < 0 || xr > 0x7fff || yr > 0x7fff {
        return Ok(Obj::NONE);
    }
    let (two_a2, two_b2) = (2 * xr * xr, 2 * yr * yr);
    // First half: where the slope is above -1.
    let (mut x, mut y) = (xr, 0);
    let (mut xchange, mut ychange) = (yr * yr * (1 - 2 * xr), xr * xr);
    let (mut err, mut stop_x, mut stop_y) = (0, two_b2 * xr, 0);
    while stop_x >= stop_y {
        ellipse_points(vm, &fb, cx, cy, x, y, c, fill, mask);
        y += 1;
        stop_y += two_a2;
        err += ychange;
        ychange += two_a2;
        if 2 * err + xchange > 0 {
            x -= 1;
            stop_x -= two_b2;
            err += xchange;
            xchange += two_b2;
        }
    }
    // Second half.
    x = 0;
    y = yr;
    xchange = yr * yr;
    ychange = xr * xr * (1 - 2 * yr);
    err = 0;
    stop_x = 0;
    stop_y = two_a2 * yr;
    while stop_x <= stop_y {
        ellipse_points(vm, &fb, cx, cy, x, y, c, fill, mask);
        x += 1;
        stop_x += two_b2;
        err += xchange;
        xchange += two_b2;
        if 2 * err + ychange > 0 {
            y -= 1;
            stop_y -= two_a2;
            err += ychange;
            ychange += two_a2;
        }
    }
    Ok(Obj::NONE)
}

/// `poly(x, y, coords, c[, f])`: an outline, or filled by scanlines.
fn fb_poly(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    crate::builtins::check_count(vm, args, 5, 6)?;
    let (x, y) = (vm.expect_int(args[1])?, vm.expect_int(args[2])?);
    let c = colour(vm, args[4])?;
    let fill = match args.get(5) {
        Some(&f) => vm.is_true(f)?,
        None => false,
    };
    let mut pts = Vec::new();
    for v in vm.collect_iterable(args[3])? {
        pts.push(vm.expect_int(v)?);
    }
    let n = pts.len() / 2;
    if n == 0 {
        return Ok(Obj::NONE);
    }
    let p = |i: usize| (pts[2 * i], pts[2 * i + 1]);
    if fill {
        let (ymin, ymax) = (0..n).fold((i64::MAX, i64::MIN), |(lo, hi), i| (lo.min(p(i).1), hi.max(p(i).1)));
        for row in ymin..=ymax {
            let mut nodes = Vec::new();
            let mut j = n - 1;
            for i in 0..n {
                let ((px1, py1), (px2, py2)) = (p(i), p(j));
                if (py1 <= row && row < py2) || (py2 <= row && row < py1) {
                    let node = (32 * px1 + 32 * (px2 - px1) * (row - py1) / (py2 - py1) + 16) / 32;
                    nodes.push(node);
                } else if row == py1.max(py2) {
                    // An edge's lower end is left out above: a bottom vertex,
                    // or a horizontal edge, is drawn here.
                    if py1 < py2 {
                        set_pixel_checked(vm, &fb, x + px2, y + py2, c, true);
                    } else if py2 < py1 {
                        set_pixel_checked(vm, &fb, x + px1, y + py1, c, true);
                    } else {
                        line(vm, &fb, x + px1, y + py1, x + px2, y + py2, c);
                    }
                }
                j = i;
            }
            nodes.sort_unstable();
            for pair in nodes.chunks(2) {
                if let [a, b] = pair {
                    fill_rect(vm, &fb, x + a, y + row, b - a + 1, 1, c);
                }
            }
        }
    } else {
        let (mut px1, mut py1) = p(0);
        for i in (0..n).rev() {
            let (px2, py2) = p(i);
            line(vm, &fb, x + px1, y + py1, x + px2, y + py2, c);
            px1 = px2;
            py1 = py2;
        }
    }
    Ok(Obj::NONE)
}

fn fb_scroll(vm: &mut Vm, args: &[Obj], _kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    let v = ints(vm, args, 1, 2)?;
    let (xs, ys) = (v[0], v[1]);
    let (sx, xend, dx) = if xs < 0 { (0, fb.w + xs, 1) } else { (fb.w - 1, xs - 1, -1) };
    let (sy, yend, dy) = if ys < 0 { (0, fb.h + ys, 1) } else { (fb.h - 1, ys - 1, -1) };
    if (dx == 1 && xend <= 0) || (dx == -1 && xend >= sx) || (dy == 1 && yend <= 0) || (dy == -1 && yend >= sy) {
        return Ok(Obj::NONE);
    }
    let mut y = sy;
    while y != yend {
        let mut x = sx;
        while x != xend {
            let c = get_pixel(vm, &fb, x - xs, y - ys);
            set_pixel(vm, &fb, x, y, c);
            x += dx;
        }
        y += dy;
    }
    Ok(Obj::NONE)
}

/// A blit source: a FrameBuffer, or `(buffer, width, height, format[, stride])`.
fn source(vm: &mut Vm, o: Obj) -> PyResult<Fb> {
    if vm.is_tuple(o) {
        let items = vm.tuple_items(o);
        if !(4..=5).contains(&items.len()) {
            return Err(vm.value_error("bad blit source tuple"));
        }
        let t = crate::types::type_obj(ids::FRAMEBUFFER);
        let f = make_checked(vm, t, &items, false)?;
        return parts(vm, f);
    }
    parts(vm, o)
}

fn fb_blit(vm: &mut Vm, args: &[Obj], kw: &[Obj]) -> PyResult<Obj> {
    let me = crate::builtins::arg(vm, args, 0)?;
    let fb = parts(vm, me)?;
    crate::builtins::check_count(vm, args, 4, 6)?;
    let src = source(vm, args[1])?;
    let (x, y) = (vm.expect_int(args[2])?, vm.expect_int(args[3])?);
    let key = match args.get(4).copied().or_else(|| vm.kwarg(kw, "key")) {
        Some(k) => vm.expect_int(k)?,
        None => -1,
    };
    let palette = match args.get(5).copied().or_else(|| vm.kwarg(kw, "palette")) {
        Some(p) if p != Obj::NONE => Some(source(vm, p)?),
        _ => None,
    };
    if x >= fb.w || y >= fb.h || -x >= src.w || -y >= src.h {
        return Ok(Obj::NONE);
    }
    let (x0, y0, x1, mut y1) = (x.max(0), y.max(0), (-x).max(0), (-y).max(0));
    let (x0end, y0end) = (fb.w.min(x + src.w), fb.h.min(y + src.h));
    for cy in y0..y0end {
        for (cx1, cx0) in (x1..).zip(x0..x0end) {
            let mut col = get_pixel(vm, &src, cx1, y1);
            if let Some(p) = &palette {
                col = get_pixel(vm, p, col as i64, 0);
            }
            if col as i64 != key {
                set_pixel(vm, &fb, cx0, cy, col);
            }
        }
        y1 += 1;
    }
    Ok(Obj::NONE)
}
