//! The model a view's `DjangoModelPermissions` names (DRF reads it from the view's `queryset`).

/// A Django model, by its `_meta.app_label` and `_meta.model_name`.
///
/// ```
/// use auth_core::permissions::DjangoModel;
///
/// /// `blog.Article`.
/// struct Article;
///
/// impl DjangoModel for Article {
///     const APP_LABEL: &'static str = "blog";
///     const MODEL_NAME: &'static str = "article";
/// }
/// ```
pub trait DjangoModel: 'static {
    /// `Model._meta.app_label` (`blog`).
    const APP_LABEL: &'static str;
    /// `Model._meta.model_name`: the class name, lower-cased (`article`).
    const MODEL_NAME: &'static str;

    /// `str(obj.pk)` of the object `DjangoObjectPermissions` checks, for a permission backend
    /// that keeps permissions per object (django-guardian's). By default none: only
    /// `ModelBackend`'s answer (an active superuser holds every object permission) applies.
    fn object_pk(_object: &dyn std::any::Any) -> Option<String> {
        None
    }
}
