//! Socket addresses as MicroPython's unix port shows them to Python: the bytes
//! of a Linux `struct sockaddr_in`/`sockaddr_in6` (family in native byte
//! order, port, flow information and address in network order, scope id in
//! native order), plus `inet_pton`/`inet_ntop`. No VM types here.

use alloc::string::{String, ToString};
use alloc::vec::Vec;
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, SocketAddrV4, SocketAddrV6};

use crate::modules::net::{AF_INET, AF_INET6, EAFNOSUPPORT, EINVAL};

/// Length of a `sockaddr_in`.
pub const SOCKADDR_IN_LEN: usize = 16;
/// Length of a `sockaddr_in6`.
pub const SOCKADDR_IN6_LEN: usize = 28;
/// The shortest `sockaddr_in6` the kernel accepts (without the scope id).
const SOCKADDR_IN6_MIN: usize = 24;

/// The `sockaddr` bytes of `addr`.
pub fn encode(addr: &SocketAddr) -> Vec<u8> {
    let mut out = Vec::new();
    match addr {
        SocketAddr::V4(a) => {
            out.extend_from_slice(&(AF_INET as u16).to_ne_bytes());
            out.extend_from_slice(&a.port().to_be_bytes());
            out.extend_from_slice(&a.ip().octets());
            out.resize(SOCKADDR_IN_LEN, 0);
        }
        SocketAddr::V6(a) => {
            out.extend_from_slice(&(AF_INET6 as u16).to_ne_bytes());
            out.extend_from_slice(&a.port().to_be_bytes());
            out.extend_from_slice(&a.flowinfo().to_be_bytes());
            out.extend_from_slice(&a.ip().octets());
            out.extend_from_slice(&a.scope_id().to_ne_bytes());
        }
    }
    out
}

/// The address family of `sockaddr` bytes (`None` when shorter than the field).
pub fn family(b: &[u8]) -> Option<i32> {
    Some(i32::from(u16::from_ne_bytes([*b.first()?, *b.get(1)?])))
}

/// Decodes `sockaddr` bytes as the kernel checks them: EINVAL when shorter than
/// a `sockaddr_in` (or, for IPv6, than a `sockaddr_in6` without scope id),
/// EAFNOSUPPORT for a family other than IPv4/IPv6.
pub fn decode(b: &[u8]) -> Result<SocketAddr, i32> {
    if b.len() < SOCKADDR_IN_LEN {
        return Err(EINVAL);
    }
    let port = u16::from_be_bytes([b[2], b[3]]);
    match family(b) {
        Some(AF_INET) => Ok(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::new(b[4], b[5], b[6], b[7]), port))),
        Some(AF_INET6) if b.len() >= SOCKADDR_IN6_MIN => {
            let flow = u32::from_be_bytes([b[4], b[5], b[6], b[7]]);
            let mut ip = [0u8; 16];
            ip.copy_from_slice(&b[8..24]);
            let scope = match b.get(24..28) {
                Some(s) => u32::from_ne_bytes([s[0], s[1], s[2], s[3]]),
                None => 0,
            };
            Ok(SocketAddr::V6(SocketAddrV6::new(Ipv6Addr::from(ip), port, flow, scope)))
        }
        Some(AF_INET6) | None => Err(EINVAL),
        Some(_) => Err(EAFNOSUPPORT),
    }
}

/// The binary form of a textual address (`inet_pton`): EAFNOSUPPORT for an
/// unknown family, EINVAL for text that is not an address of the family.
pub fn pton(family: i32, text: &str) -> Result<Vec<u8>, i32> {
    match family {
        AF_INET => text.parse::<Ipv4Addr>().map(|a| a.octets().to_vec()).map_err(|_| EINVAL),
        AF_INET6 => text.parse::<Ipv6Addr>().map(|a| a.octets().to_vec()).map_err(|_| EINVAL),
        _ => Err(EAFNOSUPPORT),
    }
}

/// The text of a binary address (`inet_ntop`): EAFNOSUPPORT for an unknown
/// family, EINVAL when the bytes are not one address of the family.
pub fn ntop(family: i32, b: &[u8]) -> Result<String, i32> {
    match family {
        AF_INET => <[u8; 4]>::try_from(b).map(|a| Ipv4Addr::from(a).to_string()).map_err(|_| EINVAL),
        AF_INET6 => <[u8; 16]>::try_from(b).map(|a| Ipv6Addr::from(a).to_string()).map_err(|_| EINVAL),
        _ => Err(EAFNOSUPPORT),
    }
}

/// The family of an IP address.
pub fn ip_family(ip: &IpAddr) -> i32 {
    match ip {
        IpAddr::V4(_) => AF_INET,
        IpAddr::V6(_) => AF_INET6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_layout_matches_the_unix_port() {
        let a: SocketAddr = "127.0.0.1:8000".parse().unwrap();
        let b = encode(&a);
        let mut want = (AF_INET as u16).to_ne_bytes().to_vec();
        want.extend_from_slice(&[0x1f, 0x40, 127, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(b, want);
        assert_eq!(decode(&b), Ok(a));
    }

    #[test]
    fn ipv6_round_trips() {
        let a = SocketAddr::V6(SocketAddrV6::new("::1".parse().unwrap(), 80, 7, 3));
        let b = encode(&a);
        assert_eq!(b.len(), SOCKADDR_IN6_LEN);
        assert_eq!(&b[2..4], &[0, 80]);
        assert_eq!(decode(&b), Ok(a));
        // Without the scope id the kernel still accepts it.
        assert!(decode(&b[..24]).is_ok());
    }

    #[test]
    fn bad_addresses_are_errors() {
        assert_eq!(decode(&[]), Err(EINVAL));
        assert_eq!(decode(&encode(&"1.2.3.4:5".parse().unwrap())[..8]), Err(EINVAL));
        let mut unix = (1u16).to_ne_bytes().to_vec();
        unix.extend_from_slice(b"/tmp/x");
        // Too short is checked before the family, as the kernel does.
        assert_eq!(decode(&unix), Err(EINVAL));
        unix.resize(SOCKADDR_IN_LEN, 0);
        assert_eq!(decode(&unix), Err(EAFNOSUPPORT));
        let v6 = encode(&"[::1]:1".parse().unwrap());
        assert_eq!(decode(&v6[..20]), Err(EINVAL));
    }

    #[test]
    fn pton_and_ntop() {
        assert_eq!(pton(AF_INET, "1.2.3.4"), Ok(alloc::vec![1, 2, 3, 4]));
        assert_eq!(pton(AF_INET, "1.2.3"), Err(EINVAL));
        assert_eq!(pton(7, "1.2.3.4"), Err(EAFNOSUPPORT));
        assert_eq!(pton(AF_INET6, "::1").unwrap().len(), 16);
        assert_eq!(ntop(AF_INET6, &[0; 16]).as_deref(), Ok("::"));
        assert_eq!(ntop(AF_INET, &[10, 0, 0, 1]).as_deref(), Ok("10.0.0.1"));
        assert_eq!(ntop(AF_INET, &[10, 0, 0]), Err(EINVAL));
        assert_eq!(ntop(99, &[0; 4]), Err(EAFNOSUPPORT));
    }
}
