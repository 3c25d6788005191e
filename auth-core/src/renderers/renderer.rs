//! What a renderer is to negotiation and to the error responses ([`RendererInfo`]), the trait a
//! renderer type implements, and a view's list of them.

use std::borrow::Cow;

use crate::error::ApiError;

/// A renderer as content negotiation and the error responses see it: DRF's `media_type`,
/// `format` and `charset` attributes, and how it renders an error.
#[derive(Clone, Copy)]
pub struct RendererInfo {
    /// The class's name, as DRF's `renderer_classes` would list it (for logs and the OpenAPI
    /// document).
    pub name: &'static str,
    /// DRF's `media_type`, negotiated against the `Accept` header.
    pub media_type: &'static str,
    /// DRF's `format`, chosen by `?format=`.
    pub format: &'static str,
    /// DRF's `charset`: added to `Content-Type` (`None` for JSON, as DRF's `JSONRenderer`).
    pub charset: Option<&'static str>,
    /// The body this renderer makes of an error's data, as DRF's exception handler hands it to
    /// the renderer.
    pub render_error: fn(&ApiError) -> Vec<u8>,
}

impl std::fmt::Debug for RendererInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RendererInfo")
            .field("name", &self.name)
            .field("media_type", &self.media_type)
            .field("format", &self.format)
            .field("charset", &self.charset)
            .finish_non_exhaustive()
    }
}

impl PartialEq for RendererInfo {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
            && self.media_type == other.media_type
            && self.format == other.format
            && self.charset == other.charset
    }
}

impl Eq for RendererInfo {}

impl RendererInfo {
    /// The response's `Content-Type`, as DRF's `Response.rendered_content` makes it: the media
    /// type, with `; charset=…` when the renderer has a charset.
    pub fn content_type(&self) -> Cow<'static, str> {
        match self.charset {
            Some(charset) => Cow::Owned(format!("{}; charset={charset}", self.media_type)),
            None => Cow::Borrowed(self.media_type),
        }
    }
}

/// A renderer type that a view can list in `#[renderer_classes(…)]`.
///
/// Implement it for your own renderer:
///
/// ```
/// use auth_core::ApiError;
/// use auth_core::renderers::{Renderer, RendererInfo};
///
/// /// DRF's `BaseRenderer` subclass `PlainTextRenderer` (media_type `text/plain`, format `txt`).
/// struct PlainTextRenderer;
///
/// impl Renderer for PlainTextRenderer {
///     const INFO: RendererInfo = RendererInfo {
///         name: "PlainTextRenderer",
///         media_type: "text/plain",
///         format: "txt",
///         charset: Some("utf-8"),
///         render_error: |error: &ApiError| error.detail().as_bytes().to_vec(),
///     };
/// }
/// ```
pub trait Renderer: 'static {
    /// The renderer's attributes.
    const INFO: RendererInfo;
}

/// A view's renderer list (DRF's `renderer_classes`): a [`Renderer`], a tuple of them in the
/// order negotiation tries them, or [`DefaultRenderers`].
#[diagnostic::on_unimplemented(
    message = "`{Self}` is not a renderer or a list of renderers",
    label = "not a renderer list",
    note = "renderer lists take renderers such as `JSONRenderer`, `StaticHTMLRenderer`, `CSVRenderer` or a type implementing `Renderer`"
)]
pub trait RendererClasses: 'static {
    /// The renderers, in order; never empty.
    const RENDERERS: &'static [RendererInfo];
    /// Whether the view declared this list (`false` for [`DefaultRenderers`]: the scope's or
    /// project's list then decides, else JSON alone with the app's `Vary` setting).
    const DECLARED: bool = true;
}

impl<A: Renderer> RendererClasses for A {
    const RENDERERS: &'static [RendererInfo] = &[A::INFO];
}

macro_rules! renderer_tuples {
    ($(($($name:ident),+)),+ $(,)?) => {
        $(
            impl<$($name: Renderer),+> RendererClasses for ($($name,)+) {
                const RENDERERS: &'static [RendererInfo] = &[$($name::INFO),+];
            }
        )+
    };
}

renderer_tuples!(
    (A),
    (A, B),
    (A, B, C),
    (A, B, C, D),
    (A, B, C, D, E),
    (A, B, C, D, E, F),
);
