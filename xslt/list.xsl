<?xml version="1.0" encoding="UTF-8"?>
<!--
  View "list": the requests ("Demandes d'intervention"), from page/list (h_list.c):
    @action @query      the form's target; the current query string without "page"
                        (ends with "&"), for the paging links
    @total @capped      count (exact up to the cap; @capped: "more than" @total)
    @page @pages @per-page @first @last @sort @dir
    filter[@name @value @display]   the query as typed (values stay after submit)
    error[@field @key]  a filter ignored, with its message next to the field
    choices[@name]/option[@value @label @inactive @outside]
    column[@key @href @next @sorted]  header links (sorted: the current sort)
    row[@href @number @received @title @name @address @commune @object @team
        @status @status-label]
    pages/page[@n] | pages/gap
  Everything works without JavaScript: the form is a GET, every view has its URL.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
                xmlns:iv="urn:mod-interventions" exclude-result-prefixes="iv">

  <xsl:import href="layout.xsl"/>

  <xsl:decimal-format name="fr" grouping-separator="&#160;" decimal-separator=","/>

  <xsl:variable name="list" select="/page/list"/>
  <!-- The list's filters, errors and choices, each picked out of its many children
       once: every field looks itself up in them several times. -->
  <xsl:variable name="filters" select="$list/filter"/>
  <xsl:variable name="errors" select="$list/error"/>
  <xsl:variable name="choices" select="$list/choices"/>

  <!-- Texts repeated on every row, looked up once per page (strings, not tree
       fragments, which would be turned into strings again on every row). -->
  <xsl:variable name="t-row-link" select="concat(iv:msg('list.row.link'), ' ')"/>
  <xsl:variable name="t-no-name" select="iv:msg('list.none.name')"/>
  <xsl:variable name="t-no-team" select="iv:msg('list.none.team')"/>

  <xsl:template match="page" mode="title">
    <xsl:value-of select="iv:msg('list.title')"/>
  </xsl:template>

  <xsl:template match="page" mode="main">
    <h1>
      <xsl:value-of select="iv:msg('list.title')"/>
    </h1>
    <xsl:apply-templates select="list" mode="errors"/>
    <xsl:apply-templates select="list" mode="filters"/>
    <xsl:apply-templates select="list" mode="summary"/>
    <xsl:call-template name="list-exports"/>
    <xsl:apply-templates select="list" mode="table"/>
    <xsl:apply-templates select="list" mode="pagination"/>
  </xsl:template>

  <!-- The same filters as files: three exports and the tour sheet (h_export.c,
       h_tour.c); @export-query holds the filters without page, size or sort. -->
  <xsl:template name="list-exports">
    <xsl:if test="$list/row">
      <xsl:variable name="qs">
        <xsl:if test="$list/@export-query != ''">
          <xsl:value-of select="concat('?', $list/@export-query)"/>
        </xsl:if>
      </xsl:variable>
      <nav class="list-exports">
        <xsl:attribute name="aria-label">
          <xsl:value-of select="iv:msg('list.exports')"/>
        </xsl:attribute>
        <ul>
          <xsl:call-template name="export-link">
            <xsl:with-param name="file" select="'export.csv'"/>
            <xsl:with-param name="key" select="'list.export.csv'"/>
            <xsl:with-param name="qs" select="$qs"/>
          </xsl:call-template>
          <xsl:call-template name="export-link">
            <xsl:with-param name="file" select="'export.xlsx'"/>
            <xsl:with-param name="key" select="'list.export.xlsx'"/>
            <xsl:with-param name="qs" select="$qs"/>
          </xsl:call-template>
          <xsl:call-template name="export-link">
            <xsl:with-param name="file" select="'export.ods'"/>
            <xsl:with-param name="key" select="'list.export.ods'"/>
            <xsl:with-param name="qs" select="$qs"/>
          </xsl:call-template>
          <xsl:call-template name="export-link">
            <xsl:with-param name="file" select="'fiches.pdf'"/>
            <xsl:with-param name="key" select="'list.export.tour'"/>
            <xsl:with-param name="qs" select="$qs"/>
          </xsl:call-template>
        </ul>
      </nav>
    </xsl:if>
  </xsl:template>

  <xsl:template name="export-link">
    <xsl:param name="file"/>
    <xsl:param name="key"/>
    <xsl:param name="qs"/>
    <li>
      <a href="{$list/@action}{$file}{$qs}">
        <xsl:value-of select="iv:msg($key)"/>
      </a>
    </li>
  </xsl:template>

  <!-- ============================================================ helpers -->

  <xsl:template name="number">
    <xsl:param name="n"/>
    <xsl:value-of select="format-number($n, '#&#160;##0', 'fr')"/>
  </xsl:template>

  <!-- The value of a filter as typed (first occurrence), "" when absent. -->
  <xsl:template name="value">
    <xsl:param name="name"/>
    <xsl:value-of select="$filters[@name = $name][1]/@value"/>
  </xsl:template>

  <xsl:template name="error-message">
    <xsl:param name="error"/>
    <xsl:call-template name="msg-fill">
      <xsl:with-param name="key" select="$error/@key"/>
      <xsl:with-param name="a" select="$list/@pages"/>
    </xsl:call-template>
  </xsl:template>

  <!-- aria-invalid and aria-describedby (hint, error) of a control. -->
  <xsl:template name="described-by">
    <xsl:param name="name"/>
    <xsl:param name="hint" select="false()"/>
    <xsl:variable name="error" select="$errors[@field = $name]"/>
    <xsl:if test="$error">
      <xsl:attribute name="aria-invalid">true</xsl:attribute>
    </xsl:if>
    <xsl:if test="$error or $hint">
      <xsl:attribute name="aria-describedby">
        <xsl:if test="$hint"><xsl:value-of select="concat($name, '-aide')"/></xsl:if>
        <xsl:if test="$hint and $error"><xsl:text> </xsl:text></xsl:if>
        <xsl:if test="$error"><xsl:value-of select="concat($name, '-erreur')"/></xsl:if>
      </xsl:attribute>
    </xsl:if>
  </xsl:template>

  <xsl:template name="field-error">
    <xsl:param name="name"/>
    <xsl:variable name="error" select="$errors[@field = $name][1]"/>
    <xsl:if test="$error">
      <p class="field-error" id="{$name}-erreur">
        <xsl:call-template name="error-message">
          <xsl:with-param name="error" select="$error"/>
        </xsl:call-template>
      </p>
    </xsl:if>
  </xsl:template>

  <xsl:template name="field-class">
    <xsl:param name="name"/>
    <xsl:attribute name="class">
      <xsl:text>field</xsl:text>
      <xsl:if test="$errors[@field = $name]"> field-invalid</xsl:if>
    </xsl:attribute>
  </xsl:template>

  <xsl:template name="label">
    <xsl:param name="name"/>
    <label for="{$name}">
      <xsl:value-of select="iv:msg(concat('list.field.', $name))"/>
    </label>
  </xsl:template>

  <!-- ============================================================ errors -->

  <!-- Filters that could not be applied: listed first, each linking to its field. -->
  <xsl:template match="list" mode="errors">
    <xsl:if test="error">
      <div class="error-summary" role="alert" id="erreurs">
        <h2>
          <xsl:call-template name="msg-fill">
            <xsl:with-param name="key" select="'list.errors.title'"/>
            <xsl:with-param name="a" select="count(error)"/>
          </xsl:call-template>
        </h2>
        <ul>
          <xsl:for-each select="error">
            <xsl:variable name="target">
              <xsl:choose>
                <xsl:when test="@field = 'tri' or @field = 'ordre'">demandes</xsl:when>
                <xsl:when test="@field = 'page'">page</xsl:when>
                <xsl:otherwise><xsl:value-of select="@field"/></xsl:otherwise>
              </xsl:choose>
            </xsl:variable>
            <li>
              <a href="#{$target}">
                <xsl:call-template name="label-colon">
                  <xsl:with-param name="key" select="concat('list.field.', @field)"/>
                </xsl:call-template>
                <xsl:call-template name="error-message">
                  <xsl:with-param name="error" select="."/>
                </xsl:call-template>
              </a>
            </li>
          </xsl:for-each>
        </ul>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- ============================================================ filters -->

  <xsl:template match="list" mode="filters">
    <form class="form list-filters" method="get" action="{@action}" id="filtres">
      <xsl:attribute name="aria-label">
        <xsl:value-of select="iv:msg('list.filters')"/>
      </xsl:attribute>
      <div class="list-filters-grid">
        <div>
          <xsl:call-template name="field-class">
            <xsl:with-param name="name" select="'q'"/>
          </xsl:call-template>
          <xsl:call-template name="label">
            <xsl:with-param name="name" select="'q'"/>
          </xsl:call-template>
          <p class="hint" id="q-aide">
            <xsl:value-of select="iv:msg('list.hint.q')"/>
          </p>
          <input type="search" id="q" name="q" maxlength="200">
            <xsl:attribute name="value">
              <xsl:call-template name="value">
                <xsl:with-param name="name" select="'q'"/>
              </xsl:call-template>
            </xsl:attribute>
            <xsl:call-template name="described-by">
              <xsl:with-param name="name" select="'q'"/>
              <xsl:with-param name="hint" select="true()"/>
            </xsl:call-template>
          </input>
          <xsl:call-template name="field-error">
            <xsl:with-param name="name" select="'q'"/>
          </xsl:call-template>
        </div>

        <xsl:call-template name="select">
          <xsl:with-param name="name" select="'commune'"/>
        </xsl:call-template>
        <xsl:call-template name="select">
          <xsl:with-param name="name" select="'objet'"/>
        </xsl:call-template>
        <xsl:call-template name="select">
          <xsl:with-param name="name" select="'equipe'"/>
        </xsl:call-template>
        <xsl:call-template name="select">
          <xsl:with-param name="name" select="'agent'"/>
        </xsl:call-template>
        <xsl:call-template name="select">
          <xsl:with-param name="name" select="'origine'"/>
        </xsl:call-template>
        <xsl:call-template name="date">
          <xsl:with-param name="name" select="'du'"/>
        </xsl:call-template>
        <xsl:call-template name="date">
          <xsl:with-param name="name" select="'au'"/>
        </xsl:call-template>
        <xsl:call-template name="per-page"/>
      </div>

      <xsl:call-template name="statuses"/>

      <!-- Filtering keeps the sort; it starts again at page 1. -->
      <input type="hidden" name="tri" value="{@sort}"/>
      <input type="hidden" name="ordre" value="{@dir}"/>

      <div class="form-actions">
        <button type="submit" class="button">
          <xsl:value-of select="iv:msg('list.submit')"/>
        </button>
        <a class="button button-secondary" href="{@action}">
          <xsl:value-of select="iv:msg('list.reset')"/>
        </a>
      </div>
    </form>
  </xsl:template>

  <!-- A select of one reference list, "all" first; deactivated values stay
       choosable (old requests use them) and say so. -->
  <xsl:template name="select">
    <xsl:param name="name"/>
    <!-- a string, not a tree fragment: each option compares itself with it -->
    <xsl:variable name="value" select="string($filters[@name = $name][1]/@value)"/>
    <xsl:variable name="options" select="$choices[@name = $name]/option"/>
    <div>
      <xsl:call-template name="field-class">
        <xsl:with-param name="name" select="$name"/>
      </xsl:call-template>
      <xsl:call-template name="label">
        <xsl:with-param name="name" select="$name"/>
      </xsl:call-template>
      <select id="{$name}" name="{$name}">
        <xsl:call-template name="described-by">
          <xsl:with-param name="name" select="$name"/>
        </xsl:call-template>
        <option value="">
          <xsl:value-of select="iv:msg(concat('list.all.', $name))"/>
        </option>
        <xsl:choose>
          <xsl:when test="$options[@outside]">
            <optgroup>
              <xsl:attribute name="label">
                <xsl:value-of select="iv:msg('list.communes.territory')"/>
              </xsl:attribute>
              <xsl:apply-templates select="$options[not(@outside)]" mode="option">
                <xsl:with-param name="value" select="$value"/>
              </xsl:apply-templates>
            </optgroup>
            <optgroup>
              <xsl:attribute name="label">
                <xsl:value-of select="iv:msg('list.communes.outside')"/>
              </xsl:attribute>
              <xsl:apply-templates select="$options[@outside]" mode="option">
                <xsl:with-param name="value" select="$value"/>
              </xsl:apply-templates>
            </optgroup>
          </xsl:when>
          <xsl:otherwise>
            <xsl:apply-templates select="$options" mode="option">
              <xsl:with-param name="value" select="$value"/>
            </xsl:apply-templates>
          </xsl:otherwise>
        </xsl:choose>
      </select>
      <xsl:call-template name="field-error">
        <xsl:with-param name="name" select="$name"/>
      </xsl:call-template>
    </div>
  </xsl:template>

  <xsl:template match="option" mode="option">
    <xsl:param name="value"/>
    <option value="{@value}">
      <xsl:if test="@value = $value">
        <xsl:attribute name="selected">selected</xsl:attribute>
      </xsl:if>
      <xsl:value-of select="@label"/>
      <xsl:if test="@inactive">
        <xsl:text> </xsl:text>
        <xsl:value-of select="iv:msg('list.inactive')"/>
      </xsl:if>
    </option>
  </xsl:template>

  <!-- Dates: the browser's date input sends AAAA-MM-JJ; JJ/MM/AAAA typed in a browser
       without one is accepted too. A valid value comes back as AAAA-MM-JJ (@display),
       an invalid one as typed. -->
  <xsl:template name="date">
    <xsl:param name="name"/>
    <xsl:variable name="filter" select="$filters[@name = $name][1]"/>
    <div>
      <xsl:call-template name="field-class">
        <xsl:with-param name="name" select="$name"/>
      </xsl:call-template>
      <xsl:call-template name="label">
        <xsl:with-param name="name" select="$name"/>
      </xsl:call-template>
      <p class="hint" id="{$name}-aide">
        <xsl:value-of select="iv:msg('list.hint.date')"/>
      </p>
      <input type="date" id="{$name}" name="{$name}" placeholder="JJ/MM/AAAA">
        <xsl:attribute name="value">
          <xsl:choose>
            <xsl:when test="$filter/@display"><xsl:value-of select="$filter/@display"/></xsl:when>
            <xsl:otherwise><xsl:value-of select="$filter/@value"/></xsl:otherwise>
          </xsl:choose>
        </xsl:attribute>
        <xsl:call-template name="described-by">
          <xsl:with-param name="name" select="$name"/>
          <xsl:with-param name="hint" select="true()"/>
        </xsl:call-template>
      </input>
      <xsl:call-template name="field-error">
        <xsl:with-param name="name" select="$name"/>
      </xsl:call-template>
    </div>
  </xsl:template>

  <xsl:template name="per-page">
    <div>
      <xsl:call-template name="field-class">
        <xsl:with-param name="name" select="'par_page'"/>
      </xsl:call-template>
      <xsl:call-template name="label">
        <xsl:with-param name="name" select="'par_page'"/>
      </xsl:call-template>
      <select id="par_page" name="par_page">
        <xsl:call-template name="described-by">
          <xsl:with-param name="name" select="'par_page'"/>
        </xsl:call-template>
        <xsl:call-template name="page-size">
          <xsl:with-param name="n" select="25"/>
        </xsl:call-template>
        <xsl:call-template name="page-size">
          <xsl:with-param name="n" select="50"/>
        </xsl:call-template>
        <xsl:call-template name="page-size">
          <xsl:with-param name="n" select="100"/>
        </xsl:call-template>
      </select>
      <xsl:call-template name="field-error">
        <xsl:with-param name="name" select="'par_page'"/>
      </xsl:call-template>
    </div>
  </xsl:template>

  <xsl:template name="page-size">
    <xsl:param name="n"/>
    <option value="{$n}">
      <xsl:if test="$n = $list/@per-page">
        <xsl:attribute name="selected">selected</xsl:attribute>
      </xsl:if>
      <xsl:value-of select="$n"/>
    </option>
  </xsl:template>

  <!-- Statuses: several may be ticked, in workflow order. -->
  <xsl:template name="statuses">
    <fieldset id="statut">
      <xsl:attribute name="class">
        <xsl:text>list-statuses</xsl:text>
        <xsl:if test="$errors[@field = 'statut']"> field-invalid</xsl:if>
      </xsl:attribute>
      <legend>
        <xsl:value-of select="iv:msg('list.field.statut')"/>
      </legend>
      <xsl:call-template name="field-error">
        <xsl:with-param name="name" select="'statut'"/>
      </xsl:call-template>
      <div class="list-status-choices">
        <xsl:for-each select="$choices[@name = 'statut']/option">
          <div class="choice">
            <input type="checkbox" id="statut-{@value}" name="statut" value="{@value}">
              <xsl:if test="$filters[@name = 'statut'][@value = current()/@value]">
                <xsl:attribute name="checked">checked</xsl:attribute>
              </xsl:if>
            </input>
            <label for="statut-{@value}"><xsl:value-of select="@label"/></label>
          </div>
        </xsl:for-each>
      </div>
    </fieldset>
  </xsl:template>

  <!-- ============================================================ results -->

  <xsl:template match="list" mode="summary">
    <p class="list-summary" id="resultat">
      <xsl:choose>
        <xsl:when test="@capped">
          <strong>
            <xsl:call-template name="msg-fill">
              <xsl:with-param name="key" select="'list.count.capped'"/>
              <xsl:with-param name="a">
                <xsl:call-template name="number">
                  <xsl:with-param name="n" select="@total"/>
                </xsl:call-template>
              </xsl:with-param>
            </xsl:call-template>
          </strong>
          <xsl:text> </xsl:text>
          <xsl:call-template name="msg-fill">
            <xsl:with-param name="key" select="'list.count.capped_help'"/>
            <xsl:with-param name="a">
              <xsl:call-template name="number">
                <xsl:with-param name="n" select="@total"/>
              </xsl:call-template>
            </xsl:with-param>
            <xsl:with-param name="b" select="@pages"/>
          </xsl:call-template>
        </xsl:when>
        <xsl:when test="@total = 0">
          <xsl:value-of select="iv:msg('list.count.none')"/>
        </xsl:when>
        <xsl:when test="@total = 1">
          <strong>
            <xsl:value-of select="iv:msg('list.count.one')"/>
          </strong>
        </xsl:when>
        <xsl:otherwise>
          <strong>
            <xsl:call-template name="msg-fill">
              <xsl:with-param name="key" select="'list.count.many'"/>
              <xsl:with-param name="a">
                <xsl:call-template name="number">
                  <xsl:with-param name="n" select="@total"/>
                </xsl:call-template>
              </xsl:with-param>
            </xsl:call-template>
          </strong>
        </xsl:otherwise>
      </xsl:choose>
      <xsl:if test="@total &gt; 0 and @pages &gt; 1">
        <xsl:text> </xsl:text>
        <xsl:call-template name="msg-fill">
          <xsl:with-param name="key" select="'list.count.range'"/>
          <xsl:with-param name="a">
            <xsl:call-template name="number">
              <xsl:with-param name="n" select="@first"/>
            </xsl:call-template>
          </xsl:with-param>
          <xsl:with-param name="b">
            <xsl:call-template name="number">
              <xsl:with-param name="n" select="@last"/>
            </xsl:call-template>
          </xsl:with-param>
        </xsl:call-template>
      </xsl:if>
    </p>
  </xsl:template>

  <xsl:template match="list" mode="table">
    <xsl:if test="row">
      <div class="table-wrap list-table-wrap">
        <table class="data list-table" id="demandes">
          <caption>
            <xsl:value-of select="iv:msg('list.caption')"/>
            <span class="list-caption-detail">
              <xsl:text> — </xsl:text>
              <xsl:call-template name="msg-fill">
                <xsl:with-param name="key" select="concat('list.caption.sorted.', @dir)"/>
                <xsl:with-param name="a">
                  <xsl:value-of select="iv:msg(concat('list.col.', @sort))"/>
                </xsl:with-param>
              </xsl:call-template>
              <xsl:if test="@pages &gt; 1">
                <xsl:text>, </xsl:text>
                <xsl:call-template name="msg-fill">
                  <xsl:with-param name="key" select="'list.caption.page'"/>
                  <xsl:with-param name="a" select="@page"/>
                  <xsl:with-param name="b" select="@pages"/>
                </xsl:call-template>
              </xsl:if>
            </span>
          </caption>
          <thead>
            <tr>
              <xsl:apply-templates select="column"/>
            </tr>
          </thead>
          <tbody>
            <xsl:apply-templates select="row"/>
          </tbody>
        </table>
      </div>
    </xsl:if>
  </xsl:template>

  <!-- A sortable header: the link sorts by this column (or reverses the current
       sort); aria-sort tells the current one, the hidden text what a click does. -->
  <xsl:template match="column">
    <th scope="col">
      <xsl:if test="@sorted">
        <xsl:attribute name="aria-sort"><xsl:value-of select="@sorted"/></xsl:attribute>
      </xsl:if>
      <a href="{@href}">
        <xsl:value-of select="iv:msg(concat('list.col.', @key))"/>
        <span class="visually-hidden">
          <xsl:text> </xsl:text>
          <xsl:value-of select="iv:msg(concat('list.sort.', @next))"/>
        </span>
      </a>
    </th>
  </xsl:template>

  <!-- An empty cell shows a dash; a screen reader says what it means. -->
  <xsl:template name="none">
    <xsl:param name="text"/>
    <span aria-hidden="true">—</span>
    <span class="visually-hidden"><xsl:value-of select="$text"/></span>
  </xsl:template>

  <!-- One row per request; the number links to its page. Kept lean: 25 to 100 rows. -->
  <xsl:template match="row">
    <tr>
      <td class="nowrap"><xsl:value-of select="@received"/></td>
      <th scope="row">
        <a href="{@href}">
          <span class="visually-hidden"><xsl:value-of select="$t-row-link"/></span>
          <xsl:value-of select="@number"/>
        </a>
      </th>
      <td>
        <xsl:choose>
          <xsl:when test="@name != ''">
            <xsl:if test="@title"><xsl:value-of select="concat(@title, ' ')"/></xsl:if>
            <xsl:value-of select="@name"/>
          </xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="none">
              <xsl:with-param name="text" select="$t-no-name"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </td>
      <td><xsl:value-of select="@address"/></td>
      <td><xsl:value-of select="@commune"/></td>
      <td><xsl:value-of select="@object"/></td>
      <td>
        <xsl:choose>
          <xsl:when test="@team"><xsl:value-of select="@team"/></xsl:when>
          <xsl:otherwise>
            <xsl:call-template name="none">
              <xsl:with-param name="text" select="$t-no-team"/>
            </xsl:call-template>
          </xsl:otherwise>
        </xsl:choose>
      </td>
      <td><span class="status status-{@status}"><xsl:value-of select="@status-label"/></span></td>
    </tr>
  </xsl:template>

  <!-- ============================================================ pagination -->

  <xsl:template match="list" mode="pagination">
    <xsl:if test="@pages &gt; 1 or error[@field = 'page']">
      <nav class="pagination">
        <xsl:attribute name="aria-label">
          <xsl:value-of select="iv:msg('list.pagination')"/>
        </xsl:attribute>
        <ul>
          <xsl:if test="@page &gt; 1">
            <li>
              <a rel="prev" href="{@action}?{@query}page={@page - 1}">
                <xsl:value-of select="iv:msg('list.page.prev')"/>
              </a>
            </li>
          </xsl:if>
          <xsl:for-each select="pages/*">
            <li>
              <xsl:choose>
                <xsl:when test="self::gap">
                  <xsl:attribute name="class">gap</xsl:attribute>
                  <span aria-hidden="true">…</span>
                </xsl:when>
                <xsl:otherwise>
                  <a href="{$list/@action}?{$list/@query}page={@n}">
                    <xsl:if test="@n = $list/@page">
                      <xsl:attribute name="aria-current">page</xsl:attribute>
                    </xsl:if>
                    <span class="visually-hidden">
                      <xsl:value-of select="iv:msg('list.page')"/>
                      <xsl:text> </xsl:text>
                    </span>
                    <xsl:value-of select="@n"/>
                  </a>
                </xsl:otherwise>
              </xsl:choose>
            </li>
          </xsl:for-each>
          <xsl:if test="@page &lt; @pages">
            <li>
              <a rel="next" href="{@action}?{@query}page={@page + 1}">
                <xsl:value-of select="iv:msg('list.page.next')"/>
              </a>
            </li>
          </xsl:if>
        </ul>
        <!-- Going to a page by its number: the same view, another page. -->
        <form class="list-goto" method="get" action="{@action}">
          <xsl:for-each select="filter[@name != 'page' and @value != '']">
            <input type="hidden" name="{@name}" value="{@value}"/>
          </xsl:for-each>
          <div>
            <xsl:call-template name="field-class">
              <xsl:with-param name="name" select="'page'"/>
            </xsl:call-template>
            <label for="page">
              <xsl:call-template name="msg-fill">
                <xsl:with-param name="key" select="'list.field.page_of'"/>
                <xsl:with-param name="a" select="@pages"/>
              </xsl:call-template>
            </label>
            <input type="number" id="page" name="page" min="1" max="{@pages}" inputmode="numeric">
              <xsl:attribute name="value">
                <xsl:choose>
                  <xsl:when test="error[@field = 'page']">
                    <xsl:value-of select="filter[@name = 'page'][1]/@value"/>
                  </xsl:when>
                  <xsl:otherwise><xsl:value-of select="@page"/></xsl:otherwise>
                </xsl:choose>
              </xsl:attribute>
              <xsl:call-template name="described-by">
                <xsl:with-param name="name" select="'page'"/>
              </xsl:call-template>
            </input>
            <xsl:call-template name="field-error">
              <xsl:with-param name="name" select="'page'"/>
            </xsl:call-template>
          </div>
          <button type="submit" class="button button-secondary">
            <xsl:value-of select="iv:msg('list.page.go')"/>
          </button>
        </form>
      </nav>
    </xsl:if>
  </xsl:template>

</xsl:stylesheet>
