//! A renderer list chosen at run time: DRF's `DEFAULT_RENDERER_CLASSES` from a settings file.

use super::renderer::{RendererClasses, RendererInfo};

/// The renderers of views that declare none, as the project (or a scope) lists them.
///
/// `listed` counts every class of the list, `served` only those this library renders: DRF's
/// `BrowsableAPIRenderer` may be listed (it makes `Vary: Accept`, as in DRF) but is not served,
/// so `text/html` gets 406 where DRF would show its HTML page.
///
/// A list read from settings is made once at start-up and lives as long as the process
/// (`Box::leak`): negotiation's answer and every error response then borrow the chosen renderer
/// for free instead of copying it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SharedRendererClasses {
    served: &'static [RendererInfo],
    /// The media type of every listed class, in order, when some are not served (else those of
    /// `served`).
    listed: Option<&'static [&'static str]>,
}

/// The media type of the one class a settings list may name but this library does not serve,
/// DRF's `BrowsableAPIRenderer`.
const UNSERVED_MEDIA_TYPE: &str = "text/html";

impl SharedRendererClasses {
    /// The list `L` (a renderer or a tuple of them).
    pub fn of<L: RendererClasses>() -> Self {
        Self {
            served: L::RENDERERS,
            listed: None,
        }
    }

    /// A list read from settings: each class, `None` for one that is listed but not served.
    /// `None` when nothing in it is served (DRF would have a renderer; here every request would
    /// be refused). The list is leaked: make it once, at start-up.
    pub fn listed(classes: Vec<Option<RendererInfo>>) -> Option<Self> {
        let media_types: Vec<&'static str> = classes
            .iter()
            .map(|class| class.map_or(UNSERVED_MEDIA_TYPE, |info| info.media_type))
            .collect();
        let served: Vec<RendererInfo> = classes.into_iter().flatten().collect();
        if served.is_empty() {
            return None;
        }
        let listed =
            (media_types.len() > served.len()).then(|| &*Box::leak(media_types.into_boxed_slice()));
        Some(Self {
            served: Box::leak(served.into_boxed_slice()),
            listed,
        })
    }

    /// The renderers negotiation chooses among, in order.
    pub fn served(&self) -> &'static [RendererInfo] {
        self.served
    }

    /// How many classes the list names (DRF adds `Vary: Accept` when more than one).
    pub fn listed_count(&self) -> usize {
        self.listed.map_or(self.served.len(), <[_]>::len)
    }

    /// Whether the list names a class this library does not serve.
    pub fn has_unserved(&self) -> bool {
        self.listed_count() > self.served.len()
    }

    /// The media type of every listed class, in order (DRF's `OPTIONS` metadata `renders`).
    pub fn media_types(&self) -> Vec<&'static str> {
        match self.listed {
            Some(listed) => listed.to_vec(),
            None => self.served.iter().map(|info| info.media_type).collect(),
        }
    }
}
