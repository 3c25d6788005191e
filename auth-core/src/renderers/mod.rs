//! DRF's renderers as far as the pipeline needs them: what a view declares it can render
//! (`renderer_classes`), so that content negotiation picks one before authentication, and how
//! each renders DRF's error data (`{"detail": …}`) for the refusals it answers.
//!
//! The handler renders its own successful responses (it is actix-web's handler, not DRF's
//! `Response`); it asks which renderer was accepted. Errors are rendered here, because the
//! pipeline answers them before the handler runs.

mod csv;
mod default_renderers;
mod json;
mod renderer;
mod shared_renderer_classes;
mod static_html;

pub use self::csv::CSVRenderer;
pub use self::default_renderers::DefaultRenderers;
pub use self::json::JSONRenderer;
pub use self::renderer::{Renderer, RendererClasses, RendererInfo};
pub use self::shared_renderer_classes::SharedRendererClasses;
pub use self::static_html::StaticHTMLRenderer;
