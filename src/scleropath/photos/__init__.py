"""Clinical photographs: photo consent, photos in the protocol's standard views, stored stripped of
their metadata through Django's storage API and served only to the clinic's clinical staff."""
