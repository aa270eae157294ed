//! The district's extent: coordinates outside it are refused.

use std::str::FromStr;

/// A lon/lat box in CGCS2000 degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Extent {
    pub min_x: f64,
    pub min_y: f64,
    pub max_x: f64,
    pub max_y: f64,
}

impl Extent {
    /// Mentougou's official extent, 115°25′00″–116°10′07″E, 39°48′34″–40°10′37″N,
    /// widened by 0.005° (about 500 m) for boundary parcels and survey tolerance.
    pub const MENTOUGOU: Extent = Extent {
        min_x: 115.411_67,
        min_y: 39.804_44,
        max_x: 116.173_61,
        max_y: 40.181_94,
    };

    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.min_x && x <= self.max_x && y >= self.min_y && y <= self.max_y
    }

    pub fn intersects(&self, other: &Extent) -> bool {
        self.min_x <= other.max_x
            && other.min_x <= self.max_x
            && self.min_y <= other.max_y
            && other.min_y <= self.max_y
    }
}

impl FromStr for Extent {
    type Err = String;

    /// `minx,miny,maxx,maxy` with min < max.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let v: Vec<f64> = s
            .split(',')
            .map(|p| {
                p.trim()
                    .parse::<f64>()
                    .map_err(|_| format!("'{p}' is not a number"))
            })
            .collect::<Result<_, _>>()?;
        match v[..] {
            [min_x, min_y, max_x, max_y]
                if v.iter().all(|n| n.is_finite()) && min_x < max_x && min_y < max_y =>
            {
                Ok(Extent {
                    min_x,
                    min_y,
                    max_x,
                    max_y,
                })
            }
            _ => Err("expected minx,miny,maxx,maxy with min < max".to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_four_ordered_numbers_only() {
        assert_eq!("1,2,3,4".parse::<Extent>().map(|e| e.max_y), Ok(4.0));
        assert!("3,2,1,4".parse::<Extent>().is_err());
        assert!("1,2,3".parse::<Extent>().is_err());
        assert!("1,2,x,4".parse::<Extent>().is_err());
        assert!("1,2,NaN,4".parse::<Extent>().is_err());
    }

    #[test]
    fn the_district_seat_is_inside_and_tiananmen_is_not() {
        assert!(Extent::MENTOUGOU.contains(116.095, 39.939));
        assert!(!Extent::MENTOUGOU.contains(116.397, 39.909));
    }
}
