namespace UdcBackup.Site.Model;

/// <summary>How much a zone is trusted; the controller and media agents live in the controller zone.</summary>
public enum ZoneTrust
{
    Controller,
    Protected,
    Internet,
}
