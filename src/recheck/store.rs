//! The resolved records a partial re-check starts from, so that it neither reads nor resolves
//! the files it does not check: the records that are not claims (one block), and the claims of
//! each family (one block a family, its claims in load order). Blocks lie in store files beside
//! the state; each is checked by its own length and BLAKE3 hash when read, so a re-check reads
//! only the blocks it needs, and never uses one that does not match.
//!
//! A full check writes every block into one store file; a partial re-check writes the blocks of
//! the families it rechecked into a new file and keeps the others where they are. When the files
//! hold more than twice what is still used, or there are many, the next run writes one file.

use std::collections::BTreeSet;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use super::state::{FileKind, Names, Pending};
use crate::model::{
    Acceptance, Claim, Dataset, Entity, EntityIdx, NameMap, Property, RuleRecord, Source,
};
use crate::source_map::{FileId, with_whole_spans};

/// Where the resolved records are.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Store {
    /// The store files' names and lengths.
    pub files: Vec<(String, u64)>,
    /// The records that are not claims.
    pub definitions: Option<Block>,
    /// Each family's claims, by the index of its root entity, sorted.
    pub families: Vec<(u32, Block)>,
}

/// Bytes in a store file, and their hash.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Block {
    pub file: u32,
    pub at: u64,
    pub len: u64,
    pub hash: [u8; 32],
}

/// The resolved records that are not claims, as stored.
#[derive(Serialize)]
struct DefinitionsOut<'a> {
    sources: &'a [Source],
    entities: &'a [Entity],
    properties: &'a [Property],
    rules: &'a [RuleRecord],
    accepted: &'a [Acceptance],
    entity_names: &'a NameMap<EntityIdx>,
    /// The text copies: their place in the source map and path.
    texts: Vec<(FileId, &'a Path)>,
}

/// [`DefinitionsOut`], read back.
#[derive(Deserialize)]
pub struct Definitions {
    pub sources: Vec<Source>,
    pub entities: Vec<Entity>,
    pub properties: Vec<Property>,
    pub rules: Vec<RuleRecord>,
    pub accepted: Vec<Acceptance>,
    pub entity_names: NameMap<EntityIdx>,
    pub texts: Vec<(FileId, PathBuf)>,
}

/// Families whose blocks are serialized together before being written: bounds the memory the
/// serialized claims take at once.
const FAMILIES_AT_ONCE: usize = 4096;

impl Store {
    fn used(&self) -> u64 {
        self.blocks().map(|b| b.len).sum()
    }

    /// Whether the next store should be written whole: the files hold mostly blocks no longer
    /// used, or there are many.
    fn wants_compaction(&self) -> bool {
        let total: u64 = self.files.iter().map(|(_, len)| len).sum();
        self.files.len() >= 8 || total > 2 * self.used() + (1 << 20)
    }

    /// The block of a family's claims.
    pub fn family(&self, root: u32) -> Option<&Block> {
        let i = self
            .families
            .binary_search_by_key(&root, |(f, _)| *f)
            .ok()?;
        Some(&self.families[i].1)
    }

    /// Every block of a full check: the records that are not claims of `data`, the sources'
    /// text copies, and every family's claims. `None` when the store cannot be written.
    pub fn write_all(names: &Names, data: &Dataset, roots: &[u32]) -> Option<Store> {
        let mut out = Writer::start(names)?;
        // In the order the loader added them to the source map, after every data file.
        let mut texts: Vec<FileId> = data.sources.iter().filter_map(|s| s.text).collect();
        texts.sort_unstable();
        texts.dedup();
        let definitions = DefinitionsOut {
            sources: &data.sources,
            entities: &data.entities,
            properties: &data.properties,
            rules: &data.rules,
            accepted: &data.accepted,
            entity_names: &data.entity_names,
            texts: texts
                .into_iter()
                .map(|id| (id, data.files.file(id).path.as_path()))
                .collect(),
        };
        let definitions = out.block(&encode(&definitions)?)?;
        let mut order: Vec<u32> = (0..data.claims.len() as u32).collect();
        order.par_sort_unstable_by_key(|&i| {
            (roots[data.claims[i as usize].subject.value.index()], i)
        });
        let groups: Vec<&[u32]> = order
            .chunk_by(|&a, &b| {
                let root = |i: u32| roots[data.claims[i as usize].subject.value.index()];
                root(a) == root(b)
            })
            .collect();
        let mut families = Vec::with_capacity(groups.len());
        for batch in groups.chunks(FAMILIES_AT_ONCE) {
            let encoded: Vec<Option<Vec<u8>>> = batch
                .par_iter()
                .map(|group| {
                    let claims: Vec<&Claim> =
                        group.iter().map(|&i| &data.claims[i as usize]).collect();
                    encode(&claims)
                })
                .collect();
            for (group, bytes) in batch.iter().zip(encoded) {
                let root = roots[data.claims[group[0] as usize].subject.value.index()];
                families.push((root, out.block(&bytes?)?));
            }
        }
        Some(Store {
            files: vec![out.finish()?],
            definitions: Some(definitions),
            families,
        })
    }

    /// This store with the blocks of `rechecked` families replaced by their claims in `data`
    /// (a partial re-check's: in load order; families left without claims have no block).
    /// The new blocks go in a new file; all of them, when the files want compacting.
    pub fn write_families(
        &self,
        names: &Names,
        data: &Dataset,
        roots: &[u32],
        rechecked: &BTreeSet<u32>,
    ) -> Option<Store> {
        let mut out = Writer::start(names)?;
        let compact = self.wants_compaction();
        let mut reader = Reader::new(names, self);
        let mut copy = |block: &Block, out: &mut Writer| match compact {
            true => out.block(&reader.bytes(block)?),
            false => Some(*block),
        };
        let definitions = match &self.definitions {
            Some(block) => Some(copy(block, &mut out)?),
            None => None,
        };
        let mut by_family: std::collections::BTreeMap<u32, Vec<&Claim>> =
            rechecked.iter().map(|&f| (f, Vec::new())).collect();
        for claim in &data.claims {
            if let Some(claims) = by_family.get_mut(&roots[claim.subject.value.index()]) {
                claims.push(claim);
            }
        }
        let mut families = Vec::with_capacity(self.families.len() + rechecked.len());
        for (root, block) in &self.families {
            if !rechecked.contains(root) {
                families.push((*root, copy(block, &mut out)?));
            }
        }
        for (root, claims) in by_family {
            if !claims.is_empty() {
                families.push((root, out.block(&encode(&claims)?)?));
            }
        }
        families.sort_unstable_by_key(|(root, _)| *root);
        let written = out.finish()?;
        // The new blocks, and every block when compacting, are in the new file.
        let newest = self.files.len() as u32;
        let mut store = Store {
            files: self.files.iter().cloned().chain([written]).collect(),
            definitions: definitions.map(|mut b| {
                b.file = if compact { newest } else { b.file };
                b
            }),
            families: families
                .into_iter()
                .map(|(root, mut b)| {
                    if compact || rechecked.contains(&root) {
                        b.file = newest;
                    }
                    (root, b)
                })
                .collect(),
        };
        store.drop_unused_files();
        Some(store)
    }

    /// Leaves out the files no block is in (their blocks were all written again since).
    fn drop_unused_files(&mut self) {
        let mut used = vec![false; self.files.len()];
        for block in self.blocks() {
            used[block.file as usize] = true;
        }
        let mut renumber = vec![0; self.files.len()];
        let mut kept = 0;
        for (i, &u) in used.iter().enumerate() {
            renumber[i] = kept;
            kept += u32::from(u);
        }
        let mut i = 0;
        self.files.retain(|_| {
            i += 1;
            used[i - 1]
        });
        for block in self.blocks_mut() {
            block.file = renumber[block.file as usize];
        }
    }

    fn blocks(&self) -> impl Iterator<Item = &Block> {
        self.definitions
            .iter()
            .chain(self.families.iter().map(|(_, b)| b))
    }

    fn blocks_mut(&mut self) -> impl Iterator<Item = &mut Block> {
        self.definitions
            .iter_mut()
            .chain(self.families.iter_mut().map(|(_, b)| b))
    }

    /// The names of its files, for removing those no longer used.
    pub fn file_names(&self) -> impl Iterator<Item = &str> {
        self.files.iter().map(|(name, _)| name.as_str())
    }
}

fn encode<T: Serialize>(value: &T) -> Option<Vec<u8>> {
    with_whole_spans(|| postcard::to_stdvec(value).ok())
}

/// The records of a block [`encode`] wrote.
fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Option<T> {
    with_whole_spans(|| postcard::from_bytes(bytes).ok())
}

/// A store file being written; blocks are placed in it as they come.
struct Writer {
    file: Pending,
}

impl Writer {
    fn start(names: &Names) -> Option<Writer> {
        Some(Writer {
            file: Pending::start(names, FileKind::Store)?,
        })
    }

    fn block(&mut self, bytes: &[u8]) -> Option<Block> {
        let at = self.file.len();
        self.file.write_all(bytes).ok()?;
        Some(Block {
            file: 0,
            at,
            len: bytes.len() as u64,
            hash: *blake3::hash(bytes).as_bytes(),
        })
    }

    fn finish(self) -> Option<(String, u64)> {
        let written = self.file.finish()?;
        Some((written.name, written.len))
    }
}

/// Reads blocks, opening each store file once.
pub struct Reader<'s> {
    names: Names,
    store: &'s Store,
    open: Vec<Option<std::fs::File>>,
}

impl<'s> Reader<'s> {
    pub fn new(names: &Names, store: &'s Store) -> Reader<'s> {
        Reader {
            names: names.clone(),
            store,
            open: (0..store.files.len()).map(|_| None).collect(),
        }
    }

    /// A block's bytes, when they are what the store says.
    fn bytes(&mut self, block: &Block) -> Option<Vec<u8>> {
        let i = block.file as usize;
        let (name, len) = self.store.files.get(i)?;
        if block.at.checked_add(block.len)? > *len {
            return None;
        }
        if self.open[i].is_none() {
            let file = std::fs::File::open(self.names.file(name)?).ok()?;
            // The length the state gives bounds what is read below; it must be the file's.
            if file.metadata().ok()?.len() != *len {
                return None;
            }
            self.open[i] = Some(file);
        }
        let file = self.open[i].as_mut()?;
        file.seek(SeekFrom::Start(block.at)).ok()?;
        let mut bytes = vec![0; usize::try_from(block.len).ok()?];
        file.read_exact(&mut bytes).ok()?;
        (blake3::hash(&bytes).as_bytes() == &block.hash).then_some(bytes)
    }

    /// The records that are not claims.
    pub fn definitions(&mut self) -> Option<Definitions> {
        let bytes = self.bytes(&self.store.definitions?)?;
        decode(&bytes)
    }

    /// A family's claims, in load order (none when it has no block).
    pub fn family(&mut self, root: u32) -> Option<Vec<Claim>> {
        let Some(block) = self.store.family(root).copied() else {
            return Some(Vec::new());
        };
        let bytes = self.bytes(&block)?;
        decode(&bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::family_roots;
    use crate::load::cache::Cache;

    /// A data set of `families` entities, each a family of its own with two claims.
    fn data_set(dir: &Path, families: usize) -> Dataset {
        let mut text = String::from(
            "[[property]]\nid = \"fighters\"\ntype = \"quantity\"\n\n\
             [[source]]\nid = \"s\"\ntitle = \"S\"\npublished = 2024-01-01\n",
        );
        for i in 0..families {
            text += &format!("\n[[entity]]\nid = \"e{i}\"\nname = \"Group {i}\"\n");
            for value in [100 + i, 200 + i] {
                text += &format!(
                    "\n[[claim]]\nsubject = \"e{i}\"\nproperty = \"fighters\"\nvalue = {value}\n"
                );
            }
        }
        std::fs::write(dir.join("data.toml"), text).unwrap();
        crate::load::load(&[dir.to_path_buf()]).expect("the data set loads")
    }

    /// A data set of `families` families in a temporary folder, their roots, the names of a
    /// cache there, and a store written by a full check.
    fn fixture(families: usize) -> (tempfile::TempDir, Dataset, Vec<u32>, Names, Store) {
        let dir = tempfile::tempdir().unwrap();
        let data = data_set(dir.path(), families);
        let roots = family_roots(&data);
        let names = Names::new(&Cache::new(&dir.path().join("cache")), dir.path(), "json");
        let store = Store::write_all(&names, &data, &roots).unwrap();
        (dir, data, roots, names, store)
    }

    #[test]
    fn a_state_names_only_files_of_its_own_in_its_folder() {
        let (dir, _, _, names, store) = fixture(1);
        let own = &store.files[0].0;
        assert!(names.file(own).is_some_and(|p| p.starts_with(dir.path())));
        let prefix = own.split('-').take(2).collect::<Vec<_>>().join("-");
        for name in [
            format!("{prefix}/../../../etc/passwd"),
            format!("{prefix}-..-x.store"),
            format!("{prefix}\\x.store"),
            "recheck-0000000000000000-1-2.store".to_string(),
            "/etc/passwd".to_string(),
        ] {
            assert!(names.file(&name).is_none(), "{name}");
        }
    }

    fn ids(claims: &[Claim]) -> Vec<&str> {
        claims.iter().map(|c| c.id.as_str()).collect()
    }

    #[test]
    fn blocks_read_back_what_was_written_across_rechecks_and_compaction() {
        let (_dir, data, roots, names, mut store) = fixture(12);
        assert_eq!((store.files.len(), store.families.len()), (1, 12));
        let mut compacted = false;
        // Each re-check writes two other families again: their blocks move to a new file, and
        // the first file stays in use for the others, until the store is compacted.
        for round in 0..12u32 {
            let rechecked: BTreeSet<u32> = [round % 12, (round * 5 + 1) % 12].into();
            let before = store.files.len();
            store = store
                .write_families(&names, &data, &roots, &rechecked)
                .unwrap();
            compacted |= before > 1 && store.files.len() == 1;
            assert!(
                store.files.len() <= 8,
                "round {round}: {}",
                store.files.len()
            );
            let mut reader = Reader::new(&names, &store);
            let defs = reader.definitions().expect("the definitions read back");
            assert_eq!(defs.entities.len(), 12);
            for family in 0..12u32 {
                let claims = reader.family(family).expect("a sound block");
                assert_eq!(
                    ids(&claims),
                    [
                        format!("s/e{family}.fighters"),
                        format!("s/e{family}.fighters~2")
                    ]
                );
                assert!(claims.iter().all(|c| !c.id_written));
                assert_eq!(claims[0].value_text.span.file, data.claims[0].span.file);
            }
        }
        assert!(compacted, "the store was never compacted");
    }

    #[test]
    fn a_damaged_block_is_not_read() {
        let (_dir, _, _, names, store) = fixture(3);
        let path = names.file(&store.files[0].0).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        let block = store.family(1).unwrap();
        bytes[block.at as usize + 1] ^= 1;
        std::fs::write(&path, bytes).unwrap();
        let mut reader = Reader::new(&names, &store);
        assert!(reader.family(0).is_some());
        assert!(reader.family(1).is_none(), "a flipped byte");
        std::fs::write(&path, b"").unwrap();
        assert!(
            Reader::new(&names, &store).definitions().is_none(),
            "an emptied file"
        );
    }

    /// A state comes with the data set: the sizes it gives are held to what is on disk before
    /// anything is allocated for them.
    #[test]
    fn sizes_a_state_gives_are_checked_before_they_are_allocated() {
        let (_dir, _, _, names, store) = fixture(2);
        let mut says_more = store.clone();
        says_more.files[0].1 = u64::MAX / 2;
        says_more.families[0].1.len = u64::MAX / 4;
        let root = says_more.families[0].0;
        assert!(Reader::new(&names, &says_more).family(root).is_none());
        assert!(Reader::new(&names, &store).family(root).is_some());
    }
}
