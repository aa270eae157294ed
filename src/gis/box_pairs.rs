//! Pairs of features whose bounding boxes meet: the only pairs that can overlap, found
//! with an R-tree so the server checks those pairs alone instead of joining a whole file
//! with itself.

use geo::Rect;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};

/// Pairs of features whose boxes meet, as two parallel lists (`first[i] < second[i]`).
pub type Pairs = (Vec<i32>, Vec<i32>);

/// More pairs than a check can take: parcels meet a few neighbours each, so a file whose
/// boxes meet in more pairs than this holds something other than parcels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooMany(pub usize);

/// Every pair `(a, b)`, `a < b`, of the given features whose boxes meet (touching
/// counts), up to `max` pairs. Box edges are compared exactly, so no pair whose
/// geometries meet is missed.
pub fn meeting_pairs(boxes: Vec<(i32, Rect<f64>)>, max: usize) -> Result<Pairs, TooMany> {
    let items: Vec<GeomWithData<Rectangle<[f64; 2]>, i32>> = boxes
        .into_iter()
        .map(|(id, r)| {
            GeomWithData::new(
                Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]),
                id,
            )
        })
        .collect();
    let tree = RTree::bulk_load(items);
    let (mut first, mut second) = (Vec::new(), Vec::new());
    for item in tree.iter() {
        let own = item.envelope();
        for other in tree.locate_in_envelope_intersecting(&own) {
            if item.data < other.data {
                if first.len() == max {
                    return Err(TooMany(max));
                }
                first.push(item.data);
                second.push(other.data);
            }
        }
    }
    Ok((first, second))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect<f64> {
        Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 })
    }

    fn sorted(p: Result<Pairs, TooMany>) -> Vec<(i32, i32)> {
        let (a, b) = p.expect("within the cap");
        let mut v: Vec<_> = a.into_iter().zip(b).collect();
        v.sort();
        v
    }

    #[test]
    fn overlapping_touching_and_apart() {
        let boxes = vec![
            (3, rect(0.0, 0.0, 1.0, 1.0)),
            (1, rect(0.5, 0.5, 2.0, 2.0)),  // overlaps 3
            (2, rect(1.0, -1.0, 1.5, 0.0)), // touches 3 at a corner
            (4, rect(5.0, 5.0, 6.0, 6.0)),  // apart
            (5, rect(0.2, 0.2, 0.3, 0.3)),  // inside 3 and apart from 1
        ];
        assert_eq!(
            sorted(meeting_pairs(boxes, 10)),
            vec![(1, 3), (2, 3), (3, 5)]
        );
    }

    #[test]
    fn every_pair_once_in_a_grid_up_to_the_cap() {
        // 10 × 10 unit squares sharing edges: each meets its 8 neighbours.
        let boxes: Vec<_> = (0..100)
            .map(|i| {
                let (x, y) = (f64::from(i % 10), f64::from(i / 10));
                (i, rect(x, y, x + 1.0, y + 1.0))
            })
            .collect();
        let pairs = sorted(meeting_pairs(boxes.clone(), 342));
        // horizontal 90 + vertical 90 + two diagonals 81 each
        assert_eq!(pairs.len(), 90 + 90 + 81 + 81);
        assert!(pairs.iter().all(|(a, b)| a < b));
        let mut dedup = pairs.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), pairs.len());
        assert_eq!(meeting_pairs(boxes, 341), Err(TooMany(341)));
    }

    #[test]
    fn nothing_for_none_or_one() {
        assert_eq!(meeting_pairs(vec![], 0), Ok((vec![], vec![])));
        let one = vec![(1, rect(0.0, 0.0, 1.0, 1.0))];
        assert_eq!(meeting_pairs(one, 0), Ok((vec![], vec![])));
    }
}
