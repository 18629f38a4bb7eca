# The list models and controllers the QML screens bind to (part of latch_app's QML module "Latch").
# Paths are relative to app/, where this file is included.
set(LATCH_MODEL_SOURCES
    models/approvalhint.cpp models/approvalhint.h
    models/appsettings.cpp models/appsettings.h
    models/auditmodel.cpp models/auditmodel.h
    models/casecontroller.cpp models/casecontroller.h
    models/proofcontroller.cpp models/proofcontroller.h
    models/queuemodel.cpp models/queuemodel.h
    models/timelinemodel.cpp models/timelinemodel.h
    models/triageview.cpp models/triageview.h
    models/uitext.cpp models/uitext.h
)
