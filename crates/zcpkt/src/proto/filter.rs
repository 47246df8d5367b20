//! Display-filter expressions over the fields of [`fields`](super::fields),
//! in a small subset of Wireshark's syntax:
//!
//! ```text
//! expr    := and ("||" and)*
//! and     := primary ("&&" primary)*
//! primary := "(" expr ")" | FIELD ("==" | "!=") VALUE
//! ```
//!
//! `FIELD` is a name of `fields.md`'s table (`ip.src`, `tcp.dstport`, ...);
//! `VALUE` is an integer (decimal or `0x` hex), an IPv4 or IPv6 address or
//! a MAC (`aa:bb:cc:dd:ee:ff`), as the field's type requires, checked when
//! the expression is parsed. `frame.time_epoch` cannot be compared (time
//! ranges have their own options in the CLI).
//!
//! # Semantics, as Wireshark 4's
//!
//! A field may occur more than once in a frame (QinQ tags, the inner
//! headers of VXLAN, the IP header an ICMP error quotes). `a == v` holds
//! when ANY occurrence of `a` equals `v`; `a != v` holds when `a` occurs
//! and NO occurrence equals `v` (Wireshark 4's "all not equal"; its `~=`
//! is not supported). A comparison on a field the frame lacks is false,
//! so `ip.src != 10.0.0.1` does not match an ARP frame.
//!
//! # No allocation
//!
//! A parsed [`Filter`] is a fixed-capacity array of nodes ([`MAX_NODES`]),
//! `Copy`, and both parsing and [`Filter::matches`] work without `std` and
//! without allocating: matching walks the frame's layers once per
//! comparison, on the stack.
//!
//! ```
//! use zcpkt::proto::filter::Filter;
//! use zcpkt::proto::fields::FrameInfo;
//! use zcpkt::proto::{link_type, Layers};
//!
//! // Raw IPv4 10.0.0.1 -> 10.0.0.2, UDP 1234 -> 53.
//! let frame = [
//!     0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2,
//!     0x04, 0xd2, 0, 53, 0, 8, 0, 0,
//! ];
//! let filter: Filter = "ip.src == 10.0.0.1 && (udp.dstport == 53 || tcp.dstport == 53)".parse()?;
//! let layers = Layers::new(link_type::RAW, &frame);
//! assert!(filter.matches(&FrameInfo::default(), &layers));
//! let filter: Filter = "ip.dst != 10.0.0.2".parse()?;
//! assert!(!filter.matches(&FrameInfo::default(), &layers));
//! # Ok::<(), zcpkt::proto::filter::FilterError>(())
//! ```

use core::fmt;
use core::str::FromStr;

use super::fields::{frame_value, layer_values, FieldName, FrameInfo, Value};
use super::Layers;

/// The most nodes (comparisons plus `&&`/`||`) one expression may hold.
pub const MAX_NODES: usize = 64;

/// How deeply parentheses may nest: the parser and the matcher recurse
/// once per level, so the stack they use stays small on hostile input.
pub const MAX_DEPTH: usize = 32;

/// A comparison operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    /// `==`: some occurrence equals the value.
    Eq,
    /// `!=`: the field occurs and no occurrence equals the value.
    Ne,
}

/// One node of a parsed expression; children are indices into the
/// filter's node array.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Node {
    /// `field op value`.
    Compare {
        /// The field compared.
        field: FieldName,
        /// The operator.
        op: Op,
        /// The value, of the field's own type.
        value: Value,
    },
    /// Both sides hold.
    And(u8, u8),
    /// Either side holds.
    Or(u8, u8),
}

/// A parsed expression (see the module documentation).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Filter {
    nodes: [Node; MAX_NODES],
    len: u8,
    root: u8,
}

/// What is wrong with an expression, and where.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FilterError {
    /// Byte offset in the expression text.
    pub position: usize,
    /// What is wrong.
    pub kind: FilterErrorKind,
}

/// The kinds of [`FilterError`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FilterErrorKind {
    /// The expression is empty.
    Empty,
    /// A field name was expected.
    ExpectedField,
    /// A name that is not in `fields.md`'s table.
    UnknownField,
    /// `==` or `!=` was expected after a field.
    ExpectedOperator,
    /// A value was expected after an operator.
    ExpectedValue,
    /// The value does not fit the field's type.
    BadValue(FieldName),
    /// The field cannot be compared (`frame.time_epoch`).
    NotComparable(FieldName),
    /// `)` was expected.
    ExpectedClose,
    /// Text after a complete expression.
    Trailing,
    /// More than [`MAX_NODES`] nodes.
    TooLong,
    /// Parentheses nested deeper than [`MAX_DEPTH`].
    TooDeep,
}

impl fmt::Display for FilterError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use FilterErrorKind as K;
        write!(f, "at character {}: ", self.position + 1)?;
        match self.kind {
            K::Empty => f.write_str("empty expression"),
            K::ExpectedField => f.write_str("expected a field name or '('"),
            K::UnknownField => f.write_str("unknown field"),
            K::ExpectedOperator => f.write_str("expected '==' or '!='"),
            K::ExpectedValue => f.write_str("expected a value"),
            K::BadValue(field) => write!(f, "not a valid value for {field} ({})", kind_of(field)),
            K::NotComparable(field) => write!(f, "{field} cannot be compared"),
            K::ExpectedClose => f.write_str("expected ')'"),
            K::Trailing => f.write_str("expected '&&', '||' or the end"),
            K::TooLong => write!(f, "more than {MAX_NODES} terms"),
            K::TooDeep => write!(f, "parentheses nested deeper than {MAX_DEPTH}"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for FilterError {}

/// The value type a field compares as, for messages.
fn kind_of(field: FieldName) -> &'static str {
    match template(field) {
        Some(Value::Mac(_)) => "a MAC address",
        Some(Value::Ipv4(_)) => "an IPv4 address",
        Some(Value::Ipv6(_)) => "an IPv6 address",
        Some(Value::Bool(_)) => "0 or 1",
        Some(Value::Hex16(_)) => "an integer up to 0xffff",
        _ => "an integer",
    }
}

/// A value of the type `field` has (contents irrelevant), or `None` for a
/// field that cannot be compared.
fn template(field: FieldName) -> Option<Value> {
    use FieldName as F;
    Some(match field {
        F::FrameTimeEpoch => return None,
        F::EthSrc | F::EthDst => Value::Mac([0; 6]),
        F::EthType => Value::Hex16(0),
        F::IpSrc | F::IpDst => Value::Ipv4([0; 4]),
        F::Ipv6Src | F::Ipv6Dst => Value::Ipv6([0; 16]),
        F::IpFlagsMf => Value::Bool(false),
        _ => Value::Uint(0),
    })
}

/// Parses `text` as a value of `field`'s type.
fn parse_value(field: FieldName, text: &str) -> Option<Value> {
    Some(match template(field)? {
        Value::Mac(_) => Value::Mac(parse_mac(text)?),
        Value::Ipv4(_) => Value::Ipv4(core::net::Ipv4Addr::from_str(text).ok()?.octets()),
        Value::Ipv6(_) => Value::Ipv6(core::net::Ipv6Addr::from_str(text).ok()?.octets()),
        Value::Hex16(_) => Value::Hex16(u16::try_from(parse_int(text)?).ok()?),
        Value::Bool(_) => match parse_int(text)? {
            0 => Value::Bool(false),
            1 => Value::Bool(true),
            _ => return None,
        },
        _ => Value::Uint(parse_int(text)?),
    })
}

fn parse_int(text: &str) -> Option<u64> {
    match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16).ok(),
        None => text.parse().ok(),
    }
}

/// `aa:bb:cc:dd:ee:ff` (or with `-` or `.` between the bytes).
fn parse_mac(text: &str) -> Option<[u8; 6]> {
    let mut mac = [0u8; 6];
    let mut parts = text.split([':', '-', '.']);
    for byte in &mut mac {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 2 {
            return None;
        }
        *byte = u8::from_str_radix(part, 16).ok()?;
    }
    parts.next().is_none().then_some(mac)
}

/// The recursive-descent parser's state.
struct ParseState<'t> {
    text: &'t str,
    pos: usize,
    nodes: [Node; MAX_NODES],
    len: usize,
    depth: usize,
}

impl<'t> ParseState<'t> {
    fn error(&self, kind: FilterErrorKind) -> FilterError {
        FilterError { position: self.pos, kind }
    }

    fn skip_space(&mut self) {
        let rest = &self.text[self.pos..];
        self.pos += rest.len() - rest.trim_start().len();
    }

    /// Consumes `token` if the text goes on with it.
    fn eat(&mut self, token: &str) -> bool {
        self.skip_space();
        if self.text[self.pos..].starts_with(token) {
            self.pos += token.len();
            true
        } else {
            false
        }
    }

    /// A run of characters that may form a name or a value; `pos` moves
    /// past it.
    fn word(&mut self) -> (usize, &'t str) {
        self.skip_space();
        let start = self.pos;
        let rest = &self.text[start..];
        let len = rest
            .find(|c: char| c.is_whitespace() || matches!(c, '(' | ')' | '&' | '|' | '=' | '!'))
            .unwrap_or(rest.len());
        self.pos += len;
        (start, &rest[..len])
    }

    fn push(&mut self, node: Node) -> Result<u8, FilterError> {
        let slot = self
            .nodes
            .get_mut(self.len)
            .ok_or(FilterError { position: self.pos, kind: FilterErrorKind::TooLong })?;
        *slot = node;
        self.len += 1;
        // len <= MAX_NODES = 64: the index fits a u8.
        Ok((self.len - 1) as u8)
    }

    fn expr(&mut self) -> Result<u8, FilterError> {
        let mut left = self.and()?;
        while self.eat("||") {
            let right = self.and()?;
            left = self.push(Node::Or(left, right))?;
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<u8, FilterError> {
        let mut left = self.primary()?;
        while self.eat("&&") {
            let right = self.primary()?;
            left = self.push(Node::And(left, right))?;
        }
        Ok(left)
    }

    fn primary(&mut self) -> Result<u8, FilterError> {
        if self.eat("(") {
            if self.depth >= MAX_DEPTH {
                return Err(self.error(FilterErrorKind::TooDeep));
            }
            self.depth += 1;
            let inner = self.expr()?;
            self.depth -= 1;
            if !self.eat(")") {
                return Err(self.error(FilterErrorKind::ExpectedClose));
            }
            return Ok(inner);
        }
        let (at, name) = self.word();
        if name.is_empty() {
            let kind = if self.pos == self.text.len() && at == 0 {
                FilterErrorKind::Empty
            } else {
                FilterErrorKind::ExpectedField
            };
            return Err(FilterError { position: at, kind });
        }
        let field: FieldName = name
            .parse()
            .map_err(|_| FilterError { position: at, kind: FilterErrorKind::UnknownField })?;
        if template(field).is_none() {
            let kind = FilterErrorKind::NotComparable(field);
            return Err(FilterError { position: at, kind });
        }
        let op = if self.eat("==") {
            Op::Eq
        } else if self.eat("!=") {
            Op::Ne
        } else {
            return Err(self.error(FilterErrorKind::ExpectedOperator));
        };
        let (at, text) = self.word();
        if text.is_empty() {
            return Err(FilterError { position: at, kind: FilterErrorKind::ExpectedValue });
        }
        let value = parse_value(field, text)
            .ok_or(FilterError { position: at, kind: FilterErrorKind::BadValue(field) })?;
        self.push(Node::Compare { field, op, value })
    }
}

impl FromStr for Filter {
    type Err = FilterError;

    /// Parses an expression (see the module documentation).
    fn from_str(text: &str) -> Result<Self, FilterError> {
        let placeholder = Node::And(0, 0);
        let mut state =
            ParseState { text, pos: 0, nodes: [placeholder; MAX_NODES], len: 0, depth: 0 };
        let root = state.expr()?;
        state.skip_space();
        if state.pos != text.len() {
            return Err(state.error(FilterErrorKind::Trailing));
        }
        // len <= MAX_NODES = 64.
        Ok(Filter { nodes: state.nodes, len: state.len as u8, root })
    }
}

impl Filter {
    /// The parsed nodes; the root is the last one.
    pub fn nodes(&self) -> &[Node] {
        &self.nodes[..usize::from(self.len)]
    }

    /// Whether a frame matches: `frame` gives the `frame.*` fields,
    /// `layers` the frame's walk (cloned per comparison, never consumed).
    pub fn matches(&self, frame: &FrameInfo, layers: &Layers<'_>) -> bool {
        self.eval(self.root, frame, layers)
    }

    fn eval(&self, node: u8, frame: &FrameInfo, layers: &Layers<'_>) -> bool {
        // Children always precede their parent, so the recursion depth is
        // bounded by the parse's (at most MAX_NODES).
        match self.nodes.get(usize::from(node)) {
            Some(Node::And(a, b)) => self.eval(*a, frame, layers) && self.eval(*b, frame, layers),
            Some(Node::Or(a, b)) => self.eval(*a, frame, layers) || self.eval(*b, frame, layers),
            Some(Node::Compare { field, op, value }) => compare(*field, *op, value, frame, layers),
            None => false,
        }
    }
}

/// Any-occurrence comparison (see the module documentation).
fn compare(
    field: FieldName,
    op: Op,
    value: &Value,
    frame: &FrameInfo,
    layers: &Layers<'_>,
) -> bool {
    let (mut present, mut equal) = (false, false);
    if field.is_frame_field() {
        if let Some(v) = frame_value(field, frame) {
            present = true;
            equal = v == *value;
        }
    } else {
        for layer in layers.clone() {
            for v in layer_values(field, &layer) {
                present = true;
                if v == *value {
                    equal = true;
                    break;
                }
            }
            if equal {
                break;
            }
        }
    }
    match op {
        Op::Eq => equal,
        Op::Ne => present && !equal,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_precedence_and_reports_positions() {
        let f: Filter = "tcp.dstport == 1 || udp.dstport == 2 && ip.proto == 17".parse().unwrap();
        // || binds looser: Or(cmp, And(cmp, cmp)).
        assert!(matches!(f.nodes().last(), Some(Node::Or(0, 3))));
        let err = |t: &str| t.parse::<Filter>().unwrap_err();
        assert_eq!(err("").kind, FilterErrorKind::Empty);
        assert_eq!(err("ip.srcx == 1").kind, FilterErrorKind::UnknownField);
        assert_eq!(err("ip.src = 1").kind, FilterErrorKind::ExpectedOperator);
        assert_eq!(err("ip.src == 1.2.3").kind, FilterErrorKind::BadValue(FieldName::IpSrc));
        assert_eq!(err("ip.src == 1.2.3").position, 10);
        assert_eq!(err("(tcp.len == 1").kind, FilterErrorKind::ExpectedClose);
        assert_eq!(err("tcp.len == 1 tcp").kind, FilterErrorKind::Trailing);
        assert_eq!(err("eth.type == 0x10000").kind, FilterErrorKind::BadValue(FieldName::EthType));
        assert_eq!(
            err("frame.time_epoch == 1").kind,
            FilterErrorKind::NotComparable(FieldName::FrameTimeEpoch)
        );
        let deep = "(".repeat(40) + "tcp.len == 1" + &")".repeat(40);
        assert_eq!(err(&deep).kind, FilterErrorKind::TooDeep);
        let long = ["tcp.len == 1"; 40].join(" || ");
        assert_eq!(err(&long).kind, FilterErrorKind::TooLong);
        assert!("eth.src == 02:42:ac:11:00:02 && ipv6.dst != 2001:db8::1"
            .parse::<Filter>()
            .is_ok());
    }
}
