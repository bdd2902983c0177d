<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "login": the directory login form.
  Reads page/login/@identifier (value typed before, kept) and page/login/@return (where
  to go after login, sent back as is). The password is never prefilled.
  Credential errors are shown by the layout as notices; the fields point at them with
  aria-describedby and are marked aria-invalid.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg">
      <xsl:with-param name="key" select="'login.title'"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <xsl:variable name="identifier" select="string(login/@identifier)"/>
    <!-- Which notice, if any, says the credentials were wrong or incomplete. -->
    <xsl:variable name="bad" select="notice[@kind = 'error']
        [@key = 'login.bad_credentials' or @key = 'login.missing'][1]"/>
    <xsl:variable name="bad-id">
      <xsl:if test="$bad">
        <xsl:call-template name="notice-id">
          <xsl:with-param name="key" select="$bad/@key"/>
        </xsl:call-template>
      </xsl:if>
    </xsl:variable>

    <div class="narrow">
      <h1>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'login.title'"/>
        </xsl:call-template>
      </h1>
      <p class="lead">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'login.help'"/>
        </xsl:call-template>
      </p>
      <form class="form" method="post" action="{ctx/@base}/connexion">
        <xsl:call-template name="csrf-field"/>
        <xsl:if test="login/@return">
          <input type="hidden" name="retour" value="{login/@return}"/>
        </xsl:if>

        <div class="field">
          <label for="identifiant">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'login.identifier'"/>
            </xsl:call-template>
          </label>
          <input type="text" id="identifiant" name="identifiant" value="{$identifier}"
                 autocomplete="username" autocapitalize="none" spellcheck="false"
                 required="required">
            <!-- Focus goes where typing resumes: the password once the name is known. -->
            <xsl:if test="$identifier = ''">
              <xsl:attribute name="autofocus">autofocus</xsl:attribute>
            </xsl:if>
            <xsl:if test="$bad and ($bad/@key = 'login.bad_credentials' or $identifier = '')">
              <xsl:attribute name="aria-invalid">true</xsl:attribute>
              <xsl:attribute name="aria-describedby"><xsl:value-of select="$bad-id"/></xsl:attribute>
            </xsl:if>
          </input>
        </div>

        <div class="field">
          <label for="mot_de_passe">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'login.password'"/>
            </xsl:call-template>
          </label>
          <input type="password" id="mot_de_passe" name="mot_de_passe"
                 autocomplete="current-password" required="required">
            <xsl:if test="$identifier != ''">
              <xsl:attribute name="autofocus">autofocus</xsl:attribute>
            </xsl:if>
            <xsl:if test="$bad">
              <xsl:attribute name="aria-invalid">true</xsl:attribute>
              <xsl:attribute name="aria-describedby"><xsl:value-of select="$bad-id"/></xsl:attribute>
            </xsl:if>
          </input>
        </div>

        <div class="form-actions">
          <button type="submit" class="button">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'login.submit'"/>
            </xsl:call-template>
          </button>
        </div>
      </form>
    </div>
  </xsl:template>

</xsl:stylesheet>
