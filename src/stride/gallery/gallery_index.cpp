#include "stride/gallery/gallery_index.h"

#include "stride/core/error.h"

namespace stride::gallery {

TemplateIndex load_index(const GalleryStore& store) {
  const std::vector<StoredTemplate> templates = store.templates();
  if (templates.empty()) fail("gallery {}: no one is enrolled", store.path().string());
  TemplateIndex index(static_cast<int64_t>(templates.front().values.size()));
  for (const StoredTemplate& t : templates) index.add(t.id, t.pseudonym, t.values);
  return index;
}

}  // namespace stride::gallery
