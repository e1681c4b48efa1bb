//! [`TermCounts`]: one document's `(term id, count)` pairs in a compact byte encoding.
//!
//! Every kept document's counts stay in memory until the tables are written, so their size
//! bounds the corpus a run can hold: as `Vec<(u32, u32)>` they cost 8 bytes per distinct term
//! (about 1.8 KB for a 400-word article). Sorted by term id, the pairs are stored as LEB128
//! varints of the gap to the previous id and of `count − 1` (Witten, Moffat & Bell, *Managing
//! Gigabytes*, 1999, ch. 3: gaps of sorted ids are small, and most counts are 1), about 3 bytes
//! per pair.

use super::TermId;

/// `(term id, count)` pairs sorted by term id, every count at least 1, encoded as described in
/// the module documentation. Read them with [`TermCounts::iter`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TermCounts {
    bytes: Box<[u8]>,
    len: u32,
}

fn push_varint(out: &mut Vec<u8>, mut v: u32) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn read_varint(bytes: &[u8], pos: &mut usize) -> u32 {
    let mut v = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*pos];
        *pos += 1;
        v |= u32::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

impl TermCounts {
    /// Encodes `pairs`, which must be sorted by strictly increasing term id with counts of at
    /// least 1 (what [`super::Vocabulary::intern`] produces).
    ///
    /// # Panics
    /// On unsorted ids or a zero count: both would be a bug in the caller.
    pub fn from_sorted(pairs: &[(TermId, u32)]) -> TermCounts {
        let mut bytes = Vec::with_capacity(pairs.len() * 3);
        let mut prev: Option<TermId> = None;
        for &(id, count) in pairs {
            let gap = match prev {
                None => id,
                Some(p) => {
                    assert!(id > p, "term ids must increase: {p} then {id}");
                    id - p
                }
            };
            assert!(count > 0, "term {id} has count 0");
            push_varint(&mut bytes, gap);
            push_varint(&mut bytes, count - 1);
            prev = Some(id);
        }
        TermCounts {
            bytes: bytes.into_boxed_slice(),
            len: pairs.len() as u32,
        }
    }

    /// The pairs, in increasing term id order.
    pub fn iter(&self) -> impl Iterator<Item = (TermId, u32)> + '_ {
        let mut pos = 0;
        let mut id: TermId = 0;
        (0..self.len).map(move |i| {
            let gap = read_varint(&self.bytes, &mut pos);
            id = if i == 0 { gap } else { id + gap };
            let count = read_varint(&self.bytes, &mut pos) + 1;
            (id, count)
        })
    }

    /// Number of pairs (distinct terms).
    pub fn len(&self) -> usize {
        self.len as usize
    }

    /// True when the document has no term.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes of the encoding (for memory accounting).
    pub fn encoded_len(&self) -> usize {
        self.bytes.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoding_by_hand() {
        // ids 0, 5, 300; counts 1, 2, 130: gaps 0, 5, 295 (two bytes: 0xa7 0x02), counts − 1
        // 0, 1, 129 (two bytes: 0x81 0x01).
        let c = TermCounts::from_sorted(&[(0, 1), (5, 2), (300, 130)]);
        assert_eq!(&*c.bytes, &[0, 0, 5, 1, 0xa7, 0x02, 0x81, 0x01]);
        assert_eq!(
            c.iter().collect::<Vec<_>>(),
            vec![(0, 1), (5, 2), (300, 130)]
        );
        assert_eq!((c.len(), c.encoded_len()), (3, 8));
        assert!(TermCounts::default().is_empty());
        assert_eq!(TermCounts::default().iter().count(), 0);
    }

    #[test]
    #[should_panic(expected = "term ids must increase")]
    fn unsorted_ids_are_a_bug() {
        TermCounts::from_sorted(&[(5, 1), (5, 1)]);
    }

    proptest::proptest! {
        #[test]
        fn round_trip(mut pairs in proptest::collection::vec((0u32..=u32::MAX, 1u32..=u32::MAX), 0..200)) {
            pairs.sort_unstable_by_key(|p| p.0);
            pairs.dedup_by_key(|p| p.0);
            let c = TermCounts::from_sorted(&pairs);
            proptest::prop_assert_eq!(c.iter().collect::<Vec<_>>(), pairs);
        }
    }
}
