//! Pairs of features whose bounding boxes meet: the only pairs that can overlap, found
//! with an R-tree so the server checks those pairs alone instead of joining a whole file
//! with itself.

use geo::Rect;
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, RTreeObject};

/// Every pair `(a, b)`, `a < b`, of the given features whose boxes meet (touching
/// counts), as two parallel lists. Box edges are compared exactly, so no pair whose
/// geometries meet is missed.
pub fn meeting_pairs(boxes: Vec<(i32, Rect<f64>)>) -> (Vec<i32>, Vec<i32>) {
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
                first.push(item.data);
                second.push(other.data);
            }
        }
    }
    (first, second)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Rect<f64> {
        Rect::new(coord! { x: x0, y: y0 }, coord! { x: x1, y: y1 })
    }

    fn sorted(p: (Vec<i32>, Vec<i32>)) -> Vec<(i32, i32)> {
        let mut v: Vec<_> = p.0.into_iter().zip(p.1).collect();
        v.sort();
        v
    }

    #[test]
    fn overlapping_touching_and_apart() {
        let pairs = meeting_pairs(vec![
            (3, rect(0.0, 0.0, 1.0, 1.0)),
            (1, rect(0.5, 0.5, 2.0, 2.0)),  // overlaps 3
            (2, rect(1.0, -1.0, 1.5, 0.0)), // touches 3 at a corner
            (4, rect(5.0, 5.0, 6.0, 6.0)),  // apart
            (5, rect(0.2, 0.2, 0.3, 0.3)),  // inside 3 and apart from 1
        ]);
        assert_eq!(sorted(pairs), vec![(1, 3), (2, 3), (3, 5)]);
    }

    #[test]
    fn every_pair_once_in_a_grid() {
        // 10 × 10 unit squares sharing edges: each meets its 8 neighbours.
        let boxes = (0..100)
            .map(|i| {
                let (x, y) = (f64::from(i % 10), f64::from(i / 10));
                (i, rect(x, y, x + 1.0, y + 1.0))
            })
            .collect();
        let pairs = sorted(meeting_pairs(boxes));
        // horizontal 90 + vertical 90 + two diagonals 81 each
        assert_eq!(pairs.len(), 90 + 90 + 81 + 81);
        assert!(pairs.iter().all(|(a, b)| a < b));
        let mut dedup = pairs.clone();
        dedup.dedup();
        assert_eq!(dedup.len(), pairs.len());
    }

    #[test]
    fn nothing_for_none_or_one() {
        assert_eq!(meeting_pairs(vec![]), (vec![], vec![]));
        assert_eq!(
            meeting_pairs(vec![(1, rect(0.0, 0.0, 1.0, 1.0))]),
            (vec![], vec![])
        );
    }
}
