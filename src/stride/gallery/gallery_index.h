#pragma once
// A gallery's templates in the search index, decrypted into memory only (template_index.h).
#include "stride/gallery/gallery_store.h"
#include "stride/gallery/template_index.h"

namespace stride::gallery {

// Labels are the persons' pseudonyms. Throws stride::Error for a gallery without templates.
TemplateIndex load_index(const GalleryStore& store);

}  // namespace stride::gallery
