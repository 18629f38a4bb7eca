# The QML screens of latch_app's module "Latch". Included from app/, so paths are relative to it.
# Each file gets a resource alias without the qml/ folder: the module's files then sit at
# qrc:/Latch/<File>.qml (Qt 6.4's module prefix), which is where main.cpp loads Main.qml from.
set(_latch_qml
    ActionsPanel.qml
    ApprovalPanel.qml
    AuditPage.qml
    Badge.qml
    Card.qml
    CasePage.qml
    ChannelIcon.qml
    FilterButton.qml
    Main.qml
    OfflineBanner.qml
    ProofPanel.qml
    QueueDelegate.qml
    QueuePage.qml
    SectionHeading.qml
    SettingsPage.qml
    SignInPage.qml
    StatusChip.qml
    Theme.qml
    TimelineDelegate.qml
    Toast.qml
    TriageCard.qml
    WorkspacePage.qml
)
set(LATCH_QML_FILES)
foreach(_file IN LISTS _latch_qml)
    set_source_files_properties(qml/${_file} PROPERTIES QT_RESOURCE_ALIAS ${_file})
    list(APPEND LATCH_QML_FILES qml/${_file})
endforeach()
set_source_files_properties(qml/Theme.qml PROPERTIES QT_QML_SINGLETON_TYPE TRUE)
set(LATCH_QML_RESOURCES)
unset(_latch_qml)
