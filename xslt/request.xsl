<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "request": one request — its fields, its status, the status changes the user
  may make now (one small form each), and its history.
  page/request (@id @number @status @status-label @version @planned @reason
  @updated-by …, field*), page/actions (@now @edit, action[@code]/needs[@name]),
  page/attempt (@action, error[@name @key], value[@name @value]) when a status form
  came back, page/history/entry (@date @time @who @kind @field @old @new @reason).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:import href="layout.xsl"/>
  <xsl:include href="_form.xsl"/>

  <xsl:variable name="req" select="/page/request"/>
  <xsl:variable name="attempt" select="/page/attempt"/>

  <xsl:template match="page" mode="title">
    <xsl:call-template name="msg-fill">
      <xsl:with-param name="key" select="'request.title'"/>
      <xsl:with-param name="a" select="string(request/@number)"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <div class="request-head">
      <h1><xsl:apply-templates select="." mode="title"/></h1>
      <p class="status status-{$req/@status}">
        <xsl:call-template name="label-colon">
          <xsl:with-param name="key" select="'field.statut'"/>
        </xsl:call-template>
        <strong><xsl:value-of select="$req/@status-label"/></strong>
        <xsl:if test="$req/@reason != ''">
          <xsl:text> — </xsl:text>
          <xsl:call-template name="label-colon">
            <xsl:with-param name="key" select="'field.motif'"/>
          </xsl:call-template>
          <xsl:value-of select="$req/@reason"/>
        </xsl:if>
      </p>
      <p class="request-links">
        <xsl:if test="actions/@edit">
          <a class="button button-secondary" href="{$base}/{$req/@id}/modifier">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'request.edit'"/>
            </xsl:call-template>
          </a>
          <xsl:text> </xsl:text>
        </xsl:if>
        <!-- fiche d'intervention PDF (h_fiche.c): every role may print -->
        <a class="button button-secondary" href="{$base}/{$req/@id}/fiche.pdf" type="application/pdf">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'request.print'"/>
          </xsl:call-template>
        </a>
      </p>
    </div>

    <xsl:for-each select="$req/field[not(@group = preceding-sibling::field/@group)]">
      <xsl:variable name="group" select="@group"/>
      <section class="request-group">
        <h2>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="concat('group.', $group)"/>
          </xsl:call-template>
        </h2>
        <dl class="fields">
          <xsl:for-each select="../field[@group = $group]">
            <dt>
              <xsl:call-template name="msg">
                <xsl:with-param name="key" select="concat('field.', @name)"/>
              </xsl:call-template>
            </dt>
            <dd>
              <xsl:choose>
                <xsl:when test="@display != ''"><xsl:value-of select="@display"/></xsl:when>
                <xsl:otherwise>—</xsl:otherwise>
              </xsl:choose>
            </dd>
            <xsl:if test="@name = 'date_transmission' and $req/@planned != ''">
              <dt>
                <xsl:call-template name="msg">
                  <xsl:with-param name="key" select="'field.date_planifiee'"/>
                </xsl:call-template>
              </dt>
              <dd><xsl:value-of select="$req/@planned"/></dd>
            </xsl:if>
          </xsl:for-each>
        </dl>
      </section>
    </xsl:for-each>

    <xsl:if test="actions/action">
      <section class="request-actions">
        <h2>
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'request.actions'"/>
          </xsl:call-template>
        </h2>
        <xsl:apply-templates select="actions/action"/>
      </section>
    </xsl:if>

    <xsl:apply-templates select="attachments"/>
    <xsl:apply-templates select="history"/>
  </xsl:template>

  <xsl:template match="attachments">
    <section class="attachments">
      <h2>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'attachments.title'"/>
        </xsl:call-template>
      </h2>
      <xsl:choose>
        <xsl:when test="file">
          <ul class="attachment-list">
            <xsl:for-each select="file">
              <li>
                <a href="{$base}/{$req/@id}/pieces/{@n}"><xsl:value-of select="@name"/></a>
                <xsl:text> (</xsl:text>
                <xsl:call-template name="size"><xsl:with-param name="bytes" select="@size"/></xsl:call-template>
                <xsl:value-of select="concat(', ', @date, ')')"/>
              </li>
            </xsl:for-each>
          </ul>
        </xsl:when>
        <xsl:otherwise>
          <p>
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'attachments.none'"/>
            </xsl:call-template>
          </p>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="@can-add">
        <form class="form attachment-form" method="post" action="{$base}/{$req/@id}/pieces"
              enctype="multipart/form-data">
          <xsl:call-template name="csrf-field"/>
          <h3>
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'attachments.add'"/>
            </xsl:call-template>
          </h3>
          <xsl:call-template name="file-input">
            <xsl:with-param name="error" select="string(/page/notice[starts-with(@key, 'error.upload.')]/@key)"/>
            <xsl:with-param name="file" select="string(/page/notice[starts-with(@key, 'error.upload.')]/@a)"/>
          </xsl:call-template>
          <div class="form-actions">
            <button type="submit" class="button">
              <xsl:call-template name="msg">
                <xsl:with-param name="key" select="'attachments.submit'"/>
              </xsl:call-template>
            </button>
          </div>
        </form>
      </xsl:if>
    </section>
  </xsl:template>

  <!-- 1234567 → "1,2 Mo"; 2048 → "2 ko" -->
  <xsl:template name="size">
    <xsl:param name="bytes"/>
    <xsl:choose>
      <xsl:when test="$bytes >= 1048576">
        <xsl:value-of select="translate(format-number($bytes div 1048576, '0.0'), '.', ',')"/>
        <xsl:text>&#160;Mo</xsl:text>
      </xsl:when>
      <xsl:otherwise>
        <xsl:value-of select="format-number(ceiling($bytes div 1024), '0')"/>
        <xsl:text>&#160;ko</xsl:text>
      </xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- One status change: a small form with what it needs. -->
  <xsl:template match="action">
    <xsl:variable name="code" select="@code"/>
    <xsl:variable name="mine" select="$attempt[@action = $code]"/>
    <form class="form status-form" method="post" action="{$base}/{$req/@id}/statut">
      <xsl:call-template name="csrf-field"/>
      <input type="hidden" name="action" value="{$code}"/>
      <input type="hidden" name="version" value="{$req/@version}"/>
      <h3>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="concat('action.', $code)"/>
        </xsl:call-template>
      </h3>
      <xsl:if test="$mine/error">
        <xsl:call-template name="error-summary">
          <xsl:with-param name="fields" select="$mine/error"/>
        </xsl:call-template>
      </xsl:if>
      <xsl:for-each select="needs">
        <xsl:call-template name="status-field">
          <xsl:with-param name="name" select="@name"/>
          <xsl:with-param name="code" select="$code"/>
          <xsl:with-param name="mine" select="$mine"/>
        </xsl:call-template>
      </xsl:for-each>
      <xsl:if test="$code = 'terminer'">
        <xsl:call-template name="status-field">
          <xsl:with-param name="name" select="'realisee_par'"/>
          <xsl:with-param name="code" select="$code"/>
          <xsl:with-param name="mine" select="$mine"/>
          <xsl:with-param name="optional" select="true()"/>
        </xsl:call-template>
      </xsl:if>
      <div class="form-actions">
        <button type="submit" class="button">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="concat('action.', $code, '.submit')"/>
          </xsl:call-template>
        </button>
      </div>
    </form>
  </xsl:template>

  <!-- A field of a status form; ids are prefixed by the action (several forms). -->
  <xsl:template name="status-field">
    <xsl:param name="name"/>
    <xsl:param name="code"/>
    <xsl:param name="mine"/>
    <xsl:param name="optional" select="false()"/>
    <xsl:variable name="id" select="concat($code, '-', $name)"/>
    <xsl:variable name="error" select="string($mine/error[@name = $name]/@key)"/>
    <xsl:variable name="typed" select="$mine/value[@name = $name]"/>
    <xsl:variable name="stored" select="$req/field[@name = $name]/@value"/>
    <xsl:variable name="value">
      <xsl:choose>
        <xsl:when test="$typed"><xsl:value-of select="$typed/@value"/></xsl:when>
        <xsl:when test="$name = 'equipe' or $name = 'realisee_par' or $name = 'commentaire'">
          <xsl:value-of select="$stored"/>
        </xsl:when>
        <xsl:when test="$stored != ''"><xsl:value-of select="$stored"/></xsl:when>
        <xsl:when test="$name = 'motif'"/>
        <xsl:otherwise><xsl:value-of select="/page/actions/@now"/></xsl:otherwise>
      </xsl:choose>
    </xsl:variable>
    <div class="field">
      <xsl:if test="$error != ''"><xsl:attribute name="class">field field-invalid</xsl:attribute></xsl:if>
      <label for="{$id}">
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="concat('field.', $name)"/>
        </xsl:call-template>
        <xsl:if test="not($optional)">
          <xsl:text> </xsl:text>
          <span class="required">
            <xsl:call-template name="msg">
              <xsl:with-param name="key" select="'form.required'"/>
            </xsl:call-template>
          </span>
        </xsl:if>
      </label>
      <xsl:choose>
        <xsl:when test="$name = 'equipe' or $name = 'realisee_par'">
          <select id="{$id}" name="{$name}">
            <xsl:call-template name="field-error-attributes">
              <xsl:with-param name="name" select="$id"/>
              <xsl:with-param name="error" select="$error"/>
            </xsl:call-template>
            <xsl:call-template name="options">
              <xsl:with-param name="list">
                <xsl:choose>
                  <xsl:when test="$name = 'equipe'">equipe</xsl:when>
                  <xsl:otherwise>agent</xsl:otherwise>
                </xsl:choose>
              </xsl:with-param>
              <xsl:with-param name="value" select="string($value)"/>
            </xsl:call-template>
          </select>
        </xsl:when>
        <xsl:when test="$name = 'commentaire' or $name = 'motif'">
          <textarea id="{$id}" name="{$name}" rows="3">
            <xsl:call-template name="field-error-attributes">
              <xsl:with-param name="name" select="$id"/>
              <xsl:with-param name="error" select="$error"/>
            </xsl:call-template>
            <xsl:value-of select="$value"/>
          </textarea>
        </xsl:when>
        <xsl:otherwise>
          <input type="datetime-local" id="{$id}" name="{$name}" value="{$value}">
            <xsl:call-template name="field-error-attributes">
              <xsl:with-param name="name" select="$id"/>
              <xsl:with-param name="error" select="$error"/>
            </xsl:call-template>
          </input>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="$error != ''">
        <p class="field-error" id="{$id}-erreur">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="$error"/>
          </xsl:call-template>
        </p>
      </xsl:if>
    </div>
  </xsl:template>

  <xsl:template match="history">
    <section class="history">
      <h2>
        <xsl:call-template name="msg">
          <xsl:with-param name="key" select="'history.title'"/>
        </xsl:call-template>
      </h2>
      <ol class="history-list">
        <xsl:apply-templates select="entry"/>
      </ol>
    </section>
  </xsl:template>

  <!-- "Le 23/06/2025 à 16:22, Marie Dupont : Statut nouvelle → transmise" -->
  <xsl:template match="entry">
    <li>
      <xsl:call-template name="msg-fill">
        <xsl:with-param name="key" select="'history.when'"/>
        <xsl:with-param name="a" select="string(@date)"/>
        <xsl:with-param name="b" select="string(@time)"/>
      </xsl:call-template>
      <xsl:text>, </xsl:text>
      <xsl:value-of select="@who"/>
      <xsl:text>&#160;: </xsl:text>
      <xsl:choose>
        <xsl:when test="@kind = 'statut'">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'field.statut'"/>
          </xsl:call-template>
          <xsl:value-of select="concat(' ', @old, ' → ', @new)"/>
        </xsl:when>
        <xsl:when test="@kind = 'modification'">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="concat('field.', @field)"/>
          </xsl:call-template>
          <xsl:text> </xsl:text>
          <xsl:call-template name="quoted"><xsl:with-param name="v" select="@old"/></xsl:call-template>
          <xsl:text> → </xsl:text>
          <xsl:call-template name="quoted"><xsl:with-param name="v" select="@new"/></xsl:call-template>
        </xsl:when>
        <!-- The import's line says which source row it came from (the reason) and
             which file and run (the new value): "importée depuis Access (ligne 2),
             fichier legacy.csv (import n° 1)". -->
        <xsl:when test="@kind = 'import'">
          <xsl:value-of select="@reason"/>
          <xsl:call-template name="msg-fill">
            <xsl:with-param name="key" select="'history.import'"/>
            <xsl:with-param name="a" select="string(@new)"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:when test="@kind = 'impression' and @new = 'tournee'">
          <xsl:call-template name="msg">
            <xsl:with-param name="key" select="'history.impression.tournee'"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:otherwise>
          <xsl:call-template name="msg-fill">
            <xsl:with-param name="key" select="concat('history.', @kind)"/>
            <xsl:with-param name="a" select="string(@new)"/>
          </xsl:call-template>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="@reason != '' and @kind != 'import'">
        <xsl:text> (</xsl:text>
        <xsl:call-template name="label-colon">
          <xsl:with-param name="key" select="'field.motif'"/>
        </xsl:call-template>
        <xsl:value-of select="@reason"/>
        <xsl:text>)</xsl:text>
      </xsl:if>
    </li>
  </xsl:template>

  <xsl:template name="quoted">
    <xsl:param name="v"/>
    <xsl:choose>
      <xsl:when test="$v = ''">
        <xsl:call-template name="msg"><xsl:with-param name="key" select="'history.empty'"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('« ', $v, ' »')"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

</xsl:stylesheet>
