//! Union-find over `0..n`, shared by the rules that report a group of linked records once.
//! Path halving keeps `find` iterative (no recursion, whatever the chain length), and the
//! smaller index always becomes the root, so roots do not depend on the order of unions.

#[derive(Debug, Clone)]
pub struct UnionFind {
    parent: Vec<u32>,
}

impl UnionFind {
    pub fn new(n: usize) -> UnionFind {
        UnionFind {
            parent: (0..n as u32).collect(),
        }
    }

    pub fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] as usize != x {
            self.parent[x] = self.parent[self.parent[x] as usize];
            x = self.parent[x] as usize;
        }
        x
    }

    pub fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
            self.parent[hi] = lo as u32;
        }
    }

    /// The groups of two or more items, each sorted, in the order of their first item.
    pub fn groups(&mut self) -> Vec<Vec<usize>> {
        let n = self.parent.len();
        let mut members: Vec<Vec<usize>> = vec![Vec::new(); n];
        for i in 0..n {
            let root = self.find(i);
            members[root].push(i);
        }
        // The root is the smallest member, so roots in index order are groups in the order of
        // their first item.
        members.into_iter().filter(|m| m.len() >= 2).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_keyed_by_their_smallest_member() {
        let mut uf = UnionFind::new(5);
        uf.union(3, 1);
        uf.union(1, 2);
        assert_eq!(uf.find(2), 1);
        assert_ne!(uf.find(0), uf.find(3));
        assert_eq!(uf.groups(), vec![vec![1, 2, 3]]);
    }

    #[test]
    fn long_chains_do_not_recurse() {
        let n = 200_000;
        let mut uf = UnionFind::new(n);
        for i in (1..n).rev() {
            uf.union(i, i - 1);
        }
        assert_eq!(uf.find(n - 1), 0);
    }
}
