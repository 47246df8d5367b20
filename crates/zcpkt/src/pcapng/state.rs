//! What a pcapng reader remembers between blocks.

use crate::capture::{ByteOrder, CaptureError, CaptureErrorKind, LinkType, Resolution};

/// Interfaces a [`State`] holds per section unless told otherwise.
pub const DEFAULT_INTERFACE_CAPACITY: usize = 64;

/// The current section, as a reader needs it (no borrow of the input).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Section {
    /// Byte offset of its Section Header Block.
    pub offset: u64,
    /// 0-based index of the section in the file.
    pub index: u32,
    /// The section's byte order.
    pub byte_order: ByteOrder,
}

/// One interface of a section, from its Interface Description Block.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Interface {
    /// Byte offset of its IDB (where its options can be read again).
    pub offset: u64,
    /// The interface's link-layer type.
    pub link_type: LinkType,
    /// Its snap length (0: no limit).
    pub snaplen: u32,
    /// `if_tsresol` (default 10^-6).
    pub resolution: Resolution,
    /// `if_tsoffset` in seconds (default 0).
    pub tsoffset: i64,
    /// `if_fcslen` in bytes, read as Wireshark does
    /// ([`fcs_bytes`](crate::capture::fcs_bytes)); `None` without the
    /// option (or with one not 1 byte long).
    pub fcs_len: Option<u8>,
    /// `resolution`'s units per second, computed once for the hot path.
    pub(crate) per_sec: u64,
}

impl Interface {
    const UNUSED: Self = Self {
        offset: 0,
        link_type: LinkType(0),
        snaplen: 0,
        resolution: Resolution::MICROS,
        tsoffset: 0,
        fcs_len: None,
        per_sec: 1_000_000,
    };
}

/// The current section and its interface table: a fixed-capacity array of
/// `N` entries, so reading never allocates (see the module docs).
#[derive(Clone, Debug)]
pub struct State<const N: usize = DEFAULT_INTERFACE_CAPACITY> {
    section: Option<Section>,
    sections: u32,
    interfaces: [Interface; N],
    count: usize,
}

/// See [`State::mark`].
#[derive(Clone, Copy, Debug)]
#[cfg_attr(not(feature = "std"), allow(dead_code))] // restored by the std stream
pub(crate) struct StateMark {
    section: Option<Section>,
    sections: u32,
    count: usize,
}

impl<const N: usize> Default for State<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> State<N> {
    /// The state before the first block of a file.
    pub const fn new() -> Self {
        Self { section: None, sections: 0, interfaces: [Interface::UNUSED; N], count: 0 }
    }

    /// The current section, once a Section Header Block was read.
    pub const fn section(&self) -> Option<&Section> {
        self.section.as_ref()
    }

    /// What one block can change of the state, to undo it with
    /// [`restore`](Self::restore): a Section Header Block starts a section
    /// and empties the table without touching its slots, an Interface
    /// Description Block fills the slot after the last. A stream's
    /// recovering reader undoes a decision it must take again with more
    /// bytes this way, without copying the table.
    pub(crate) const fn mark(&self) -> StateMark {
        StateMark { section: self.section, sections: self.sections, count: self.count }
    }

    /// Undoes what at most one block changed since `mark` was taken.
    #[cfg_attr(not(feature = "std"), allow(dead_code))] // for the std stream
    pub(crate) fn restore(&mut self, mark: StateMark) {
        self.section = mark.section;
        self.sections = mark.sections;
        self.count = mark.count;
    }

    /// The current section's byte order.
    pub fn byte_order(&self) -> Option<ByteOrder> {
        self.section.map(|s| s.byte_order)
    }

    /// The current section's interfaces, by ID.
    pub fn interfaces(&self) -> &[Interface] {
        self.interfaces.get(..self.count).unwrap_or_default()
    }

    /// Starts a new section at `offset`: interfaces restart at ID 0.
    pub(crate) fn start_section(&mut self, offset: u64, byte_order: ByteOrder) -> Section {
        let section = Section { offset, index: self.sections, byte_order };
        self.sections = self.sections.saturating_add(1);
        self.section = Some(section);
        self.count = 0;
        section
    }

    /// Adds an interface to the table; returns its ID.
    pub(crate) fn add_interface(
        &mut self,
        interface: Interface,
        offset: u64,
    ) -> Result<u32, CaptureError> {
        let Some(slot) = self.interfaces.get_mut(self.count) else {
            let limit = u32::try_from(N).unwrap_or(u32::MAX);
            return Err(CaptureError::new(offset, CaptureErrorKind::TooManyInterfaces { limit }));
        };
        *slot = interface;
        let id = self.count as u32; // < N, and N fit u32 to get here in practice
        self.count += 1;
        Ok(id)
    }

    /// The interface a packet block at `offset` names: `NoInterface` if the
    /// section has none yet, `UnknownInterface` if `id` is past the table.
    #[inline]
    pub(crate) fn interface(&self, id: u32, offset: u64) -> Result<&Interface, CaptureError> {
        if self.count == 0 {
            return Err(CaptureError::new(offset, CaptureErrorKind::NoInterface));
        }
        usize::try_from(id).ok().and_then(|i| self.interfaces().get(i)).ok_or(CaptureError::new(
            offset,
            CaptureErrorKind::UnknownInterface { interface_id: id, interfaces: self.count as u32 },
        ))
    }
}
