//! Round trips and error cases of the deflate encoder and decoder.

use alloc::vec::Vec;

use super::compress::Compressor;
use super::inflate::{parse_header, InflateError, Inflater, Wrapper};

fn compress(data: &[u8], wbits: u8, chunk: usize) -> Vec<u8> {
    let mut out = Vec::new();
    let mut c = Compressor::new(wbits).unwrap();
    let mut sink = |b: u8| -> Result<(), ()> {
        out.push(b);
        Ok(())
    };
    c.start_block(&mut sink).unwrap();
    for part in data.chunks(chunk.max(1)) {
        c.compress(&mut sink, part).unwrap();
    }
    c.finish(&mut sink).unwrap();
    out
}

fn inflate(data: &[u8], wrapper: Wrapper, wbits: u8, chunk: usize) -> Result<Vec<u8>, InflateError<()>> {
    let mut it = data.iter().copied();
    let mut src = || it.next().ok_or(());
    let mut inf = Inflater::new(wrapper, wbits);
    let mut out = Vec::new();
    let mut buf = alloc::vec![0u8; chunk];
    loop {
        let n = inf.read(&mut src, &mut buf)?;
        if n == 0 {
            break;
        }
        out.extend_from_slice(&buf[..n]);
    }
    Ok(out)
}

fn sample() -> Vec<u8> {
    let mut v = Vec::new();
    let mut x = 12345u32;
    for i in 0..3000u32 {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
        v.push(if i % 7 < 4 { b"abcabcx"[(i % 7) as usize] } else { (x >> 24) as u8 });
    }
    v.extend_from_slice(&[0u8; 700]);
    v
}

#[test]
fn round_trips() {
    let data = sample();
    for wbits in [5u8, 8, 10, 15] {
        for chunk in [1usize, 13, 4096] {
            let packed = compress(&data, wbits, chunk);
            if wbits >= 10 && chunk > 1 {
                assert!(packed.len() < data.len(), "{} {} {}", wbits, chunk, packed.len());
            }
            assert_eq!(inflate(&packed, Wrapper::Raw, wbits, 7).unwrap(), data);
            assert_eq!(inflate(&packed, Wrapper::Raw, 15, 1000).unwrap(), data);
        }
    }
    assert_eq!(inflate(&compress(b"", 8, 1), Wrapper::Raw, 8, 4).unwrap(), b"");
}

#[test]
fn known_encodings() {
    // Byte-exact with MicroPython's encoder (its test expectations).
    assert_eq!(compress(b"hello", 8, 100), b"\xcbH\xcd\xc9\xc9\x07\x00");
    assert_eq!(compress(&[b'0'; 100], 8, 100), b"3\xa0\x03\x00\x00");
}

#[test]
fn dynamic_and_stored_blocks() {
    // zlib-produced stream with a dynamic Huffman block (zlib wrapper).
    let z = b"x\x9c\x05\xc1\x81\x01\x000\x04\x04\xb1\x95\\\x1f\xcfn\x86o\x82d\x06Qq\xc8\x9d\xc5X}<e\xb5g\x83\x0f\x89X\x07\xab";
    let mut it = z.iter().copied();
    let mut src = || it.next().ok_or(());
    assert_eq!(parse_header(&mut src), Ok((Wrapper::Zlib, 15)));
    let rest: Vec<u8> = it.collect();
    assert_eq!(inflate(&rest, Wrapper::Zlib, 15, 5).unwrap(), b"13371813150|13764518736|12345678901");
    // A stored block (level 0).
    let stored = b"\x01\x05\x00\xfa\xffhello";
    assert_eq!(inflate(stored, Wrapper::Raw, 8, 3).unwrap(), b"hello");
}

#[test]
fn errors() {
    let packed = compress(&sample(), 10, 4096);
    // Truncated input: the source's own error.
    assert_eq!(inflate(&packed[..packed.len() / 2], Wrapper::Raw, 10, 64), Err(InflateError::Source(())));
    // Block type 3.
    assert_eq!(inflate(b"\x07", Wrapper::Raw, 8, 4), Err(InflateError::Data));
    // Stored block length check fails.
    assert_eq!(inflate(b"\x01\x05\x00\x00\x00hello", Wrapper::Raw, 8, 4), Err(InflateError::Data));
    // A distance beyond the window.
    let far = compress(&[b"hello".as_slice(), &[0u8; 300], b"hello"].concat(), 9, 4096);
    assert_eq!(inflate(&far, Wrapper::Raw, 5, 64), Err(InflateError::Data));
    assert!(inflate(&far, Wrapper::Raw, 9, 64).is_ok());
    // A distance before the start of the output.
    assert_eq!(inflate(b"\x03\x02", Wrapper::Raw, 8, 4), Err(InflateError::Data));
    // Bad zlib checksum and bad headers.
    let zlib = b"x\x9c3\x00\x00\x001\x001";
    assert_eq!(inflate(&zlib[2..], Wrapper::Zlib, 15, 4).unwrap(), b"0");
    assert_eq!(inflate(b"3\x00\x00\x001\x002", Wrapper::Zlib, 15, 4), Err(InflateError::Data));
    let mut it = b"x\x9d".iter().copied();
    assert_eq!(parse_header(&mut || it.next().ok_or(())), Err(InflateError::Data));
    let mut it = b"\x1f\x8b\x09".iter().copied();
    assert_eq!(parse_header(&mut || it.next().ok_or(())), Err(InflateError::Data));
    let mut it = b"\x1f".iter().copied();
    assert_eq!(parse_header(&mut || it.next().ok_or(())), Err(InflateError::Source(())));
}

#[test]
fn dropped_objects_free_their_codec_slot() {
    use crate::obj::Obj;
    use crate::types::{ids, type_obj};
    let mut vm = crate::vm::stress_test_vm();
    let t = type_obj(ids::DEFLATE_IO);
    let kept = super::deflateio_new(&mut vm, t, &[Obj::NONE], &[]).unwrap();
    vm.root(kept);
    for _ in 0..5 {
        super::deflateio_new(&mut vm, t, &[Obj::NONE], &[]).unwrap();
    }
    // GC stress: this allocation collects first, finalising the unreachable objects.
    vm.alloc(4).unwrap();
    let live = vm.st.sys.deflate.iter().filter(|e| e.is_some()).count();
    assert_eq!(live, 1);
    // Bad arguments are rejected before a slot is taken.
    assert!(super::deflateio_new(&mut vm, t, &[Obj::NONE, Obj::from_small_int(9).unwrap()], &[]).is_err());
    assert!(super::deflateio_new(&mut vm, t, &[], &[]).is_err());
    assert_eq!(vm.st.sys.deflate.iter().filter(|e| e.is_some()).count(), 1);
}
