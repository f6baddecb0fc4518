"""Online booking by the patient: a consultation chosen on the clinic's public page, the answers
screened by the engine, the slot held until the patient confirms by email."""
