//! The renderers of a view that declares none.

use super::json::JSONRenderer;
use super::renderer::{Renderer, RendererClasses, RendererInfo};

/// The renderers of a view that declares none: the scope's or project's
/// `DEFAULT_RENDERER_CLASSES` ([`PolicyDefaults`](crate::policy::PolicyDefaults)), else JSON only
/// (DRF's `JSONRenderer`; DRF's own default adds the browsable API, which this library does not
/// serve).
#[derive(Debug, Clone, Copy, Default)]
pub struct DefaultRenderers;

impl RendererClasses for DefaultRenderers {
    const RENDERERS: &'static [RendererInfo] = &[JSONRenderer::INFO];
    const DECLARED: bool = false;
}

#[cfg(test)]
mod tests {
    use super::super::csv::CSVRenderer;
    use super::super::static_html::StaticHTMLRenderer;
    use super::*;

    #[test]
    fn content_type_has_the_charset_when_the_renderer_has_one() {
        assert_eq!(JSONRenderer::INFO.content_type(), "application/json");
        assert_eq!(
            StaticHTMLRenderer::INFO.content_type(),
            "text/html; charset=utf-8"
        );
        assert_eq!(CSVRenderer::INFO.content_type(), "text/csv; charset=utf-8");
    }

    #[test]
    fn a_tuple_lists_its_renderers_in_order() {
        let list = <(CSVRenderer, JSONRenderer) as RendererClasses>::RENDERERS;
        assert_eq!(list, &[CSVRenderer::INFO, JSONRenderer::INFO]);
        // Checked when the test compiles.
        const { assert!(<(JSONRenderer,) as RendererClasses>::DECLARED) };
        const { assert!(<JSONRenderer as RendererClasses>::DECLARED) };
        const { assert!(!DefaultRenderers::DECLARED) };
        assert_eq!(DefaultRenderers::RENDERERS, &[JSONRenderer::INFO]);
    }
}
